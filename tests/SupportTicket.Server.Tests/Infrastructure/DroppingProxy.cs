using System.Net;
using System.Net.Sockets;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy the test controls, to play a network that drops. <see cref="DropFor"/> resets every
/// connection passing through and, until the drop ends, lets new connections in without forwarding a byte (as a
/// network that swallows packets: the client's connect succeeds, then nothing answers until it comes back).
/// </summary>
public sealed class DroppingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly Lock _lock = new();
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private DateTime _droppedUntil;

    public DroppingProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = AcceptLoopAsync();
    }

    public Uri Address { get; }

    /// <summary>Connections accepted so far (one per transport connection of the client).</summary>
    public int Accepted { get; private set; }

    public void DropFor(TimeSpan duration)
    {
        lock (_lock)
        {
            _droppedUntil = DateTime.UtcNow + duration;
            foreach (var socket in _open)
            {
                try { socket.LingerState = new LingerOption(true, 0); socket.Close(); } catch (ObjectDisposedException) { }
            }
            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            Accepted++;
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        TimeSpan wait;
        lock (_lock) wait = _droppedUntil - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target.Port);
        }
        catch (SocketException)
        {
            client.Close();
            return;
        }
        lock (_lock) _open.AddRange([client, server]);
        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        client.Close();
        server.Close();
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer);
                if (read == 0) return;
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        DropFor(TimeSpan.Zero);
    }
}
