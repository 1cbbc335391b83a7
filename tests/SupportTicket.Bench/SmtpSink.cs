using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SupportTicket.Bench;

/// <summary>
/// The smallest SMTP server the server's mail sender (MailKit, Security None) can talk to: it accepts every mail on
/// 127.0.0.1:<c>port</c>, keeps nothing and counts them. For the "features" load (issue #30, target 5), so mail costs
/// the server what it costs in production up to the wire, without a mail server competing for the cores.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly TcpListener _listener;
    private long _mails;

    public SmtpSink(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public long Mails => Interlocked.Read(ref _mails);

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 bench SMTP sink");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 bench");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        while (await reader.ReadLineAsync() is { } body && body != ".") { }
                        Interlocked.Increment(ref _mails);
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
        catch (IOException) { }
    }

    public void Dispose() => _listener.Stop();
}
