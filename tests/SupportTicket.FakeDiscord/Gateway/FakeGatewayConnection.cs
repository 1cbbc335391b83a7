using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Gateway;

/// <summary>One client WebSocket on the fake Gateway.</summary>
internal sealed class FakeGatewayConnection(WebSocket socket, HttpContext context, ConnectionRecord record)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<TimeSpan> _received = new();

    // Captured now: Kestrel recycles the HttpContext once the connection has ended.
    private readonly CancellationToken _aborted = context.RequestAborted;

    public WebSocket Socket => socket;
    public ConnectionRecord Record => record;
    public bool Identified { get; set; }
    public TimeSpan LastHeartbeat { get; set; }

    public Task SendAsync(JsonNode payload) => SendAsync(Encoding.UTF8.GetBytes(payload.ToJsonString()), int.MaxValue);

    /// <summary>Sends one message, in frames of at most frameSize bytes.</summary>
    public async Task SendAsync(byte[] bytes, int frameSize)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (record.Ended)
            {
                return;
            }

            for (var offset = 0; offset < bytes.Length || offset == 0; offset += frameSize)
            {
                var count = Math.Min(frameSize, bytes.Length - offset);
                var last = offset + count >= bytes.Length;
                await socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, last, _aborted);
                if (last)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client is gone; the event stays buffered for a Resume.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Null when the client closed; the payload text otherwise. Throws when the connection broke.</summary>
    public async Task<(string? Text, int Size)> ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), _aborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                record.ClientCloseCode = (int?)socket.CloseStatus;
                return (null, 0);
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return (Encoding.UTF8.GetString(buffer.WrittenSpan), buffer.WrittenCount);
            }
        }
    }

    /// <summary>Counts a client payload; false when the client went over its send limit.</summary>
    public bool CountReceived(TimeSpan now, int limit, TimeSpan window)
    {
        _received.Enqueue(now);
        while (_received.Count > 0 && now - _received.Peek() > window)
        {
            _received.Dequeue();
        }

        return _received.Count <= limit;
    }

    public async Task CloseAsync(int code, string reason, bool recordAsServerClose = true)
    {
        if (recordAsServerClose)
        {
            record.ServerCloseCode = code;
        }

        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // Already closed.
        }
    }

    /// <summary>Kestrel recycles HttpContext objects, so a connection that already ended must not touch its context.</summary>
    public void Drop()
    {
        lock (record)
        {
            if (!record.Ended)
            {
                context.Abort();
            }
        }
    }

    public void MarkEnded()
    {
        lock (record)
        {
            record.Ended = true;
        }
    }
}

/// <summary>What the test can check about each connection the client made.</summary>
public sealed class ConnectionRecord(string path, string query)
{
    public string Path { get; } = path;
    public string Query { get; } = query;
    public string? FirstOp { get; set; }
    public int? ClientCloseCode { get; set; }
    public int? ServerCloseCode { get; set; }
    public bool Ended { get; set; }
}
