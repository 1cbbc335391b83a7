using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SupportTicket.Discord.Gateway;

internal sealed record GatewayFrame(JsonDocument? Payload, int? CloseCode, string? CloseReason) : IDisposable
{
    public void Dispose() => Payload?.Dispose();
}

// Whole-message reads (READY and GUILD_CREATE span many frames) and serialised sends.
internal sealed class GatewaySocket(WebSocket socket, int sendLimit, TimeSpan sendWindow) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<long> _sentAt = new();

    public WebSocket Socket => socket;

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new GatewayFrame(null, (int?)socket.CloseStatus, socket.CloseStatusDescription);
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return new GatewayFrame(JsonDocument.Parse(buffer.WrittenMemory), null, null);
            }
        }
    }

    // ClientWebSocket allows one send at a time; heartbeats and replies come from different tasks.
    public async Task SendAsync(string json, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await _sendLock.WaitAsync(ct);
        try
        {
            await WaitForSendSlotAsync(ct);
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WaitForSendSlotAsync(CancellationToken ct)
    {
        var windowMs = (long)sendWindow.TotalMilliseconds;
        while (true)
        {
            var now = Environment.TickCount64;
            while (_sentAt.Count > 0 && now - _sentAt.Peek() > windowMs)
            {
                _sentAt.Dequeue();
            }

            if (_sentAt.Count < sendLimit)
            {
                _sentAt.Enqueue(now);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(windowMs - (now - _sentAt.Peek()) + 1), ct);
        }
    }

    public async Task CloseQuietlyAsync(int code, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is being abandoned anyway.
        }
        finally
        {
            socket.Abort();
        }
    }

    public async Task CloseGracefullyAsync(int code)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, code == 1000 ? "shutting down" : "restarting", timeout.Token);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }

        try
        {
            socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        _sendLock.Dispose();
    }
}
