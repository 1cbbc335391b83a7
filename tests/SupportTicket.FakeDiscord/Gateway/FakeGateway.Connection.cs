using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Gateway;

public sealed partial class FakeGateway
{
    private const int MaxPayloadBytes = 4096;

    internal async Task AcceptAsync(HttpContext context, bool resumePath)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        if (resumePath && ResumePathDown)
        {
            Interlocked.Increment(ref _refusedResumeConnections);
            context.Response.StatusCode = 503;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var record = new ConnectionRecord(context.Request.Path, context.Request.QueryString.Value ?? "");
        _connections.Enqueue(record);
        var connection = new FakeGatewayConnection(socket, context, record) { LastHeartbeat = server.Now };
        _open[connection] = 0;
        try
        {
            await RunAsync(connection, context);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Dropped: the session stays resumable.
        }
        finally
        {
            connection.MarkEnded();
            _open.TryRemove(connection, out _);
        }
    }

    private async Task RunAsync(FakeGatewayConnection connection, HttpContext context)
    {
        if (context.Request.Query["v"] != "10" || context.Request.Query["encoding"] != "json")
        {
            await connection.CloseAsync(4012, "Invalid API version");
            return;
        }

        var interval = server.Options.HeartbeatIntervalMs;
        if (TakeSilent())
        {
            // A connection that never says Hello: the client must give up on it by itself.
            await connection.ReceiveAsync();
            return;
        }

        await connection.SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = interval } });
        using var watchdog = new CancellationTokenSource();
        _ = WatchHeartbeatsAsync(connection, interval, watchdog.Token);
        try
        {
            while (true)
            {
                var (text, size) = await connection.ReceiveAsync();
                if (text is null)
                {
                    // A client that closes with 1000/1001 ends its session on Discord; any other code keeps it.
                    if (connection.Record.ClientCloseCode is 1000 or 1001 && connection == _current)
                    {
                        _sessionId = null;
                    }

                    // Complete the close handshake so the client is not left waiting for it.
                    await connection.CloseAsync(1000, "bye", recordAsServerClose: false);
                    return;
                }

                if (await HandleAsync(connection, text, size) is { } close)
                {
                    await connection.CloseAsync(close.Code, close.Reason);
                    return;
                }
            }
        }
        finally
        {
            await watchdog.CancelAsync();
        }
    }

    /// <summary>Returns a close code when the payload breaks the protocol.</summary>
    private async Task<(int Code, string Reason)?> HandleAsync(FakeGatewayConnection connection, string text, int size)
    {
        if (size > MaxPayloadBytes || Parse(text) is not { } payload || payload["op"] is not JsonValue opValue)
        {
            return (4002, "Decode error");
        }

        if (!connection.CountReceived(server.Now, server.Options.GatewaySendLimit, server.Options.GatewaySendWindow))
        {
            return (4008, "Rate limited");
        }

        var op = opValue.GetValue<int>();
        connection.Record.FirstOp ??= op switch { 2 => "identify", 6 => "resume", _ => null };
        switch (op)
        {
            case 1:
                connection.LastHeartbeat = server.Now;
                _heartbeats.Enqueue(payload["d"] is JsonValue d ? d.GetValue<int>() : null);
                if (connection != _zombie)
                {
                    await connection.SendAsync(new JsonObject { ["op"] = 11 });
                }

                return null;
            case 2:
                return await IdentifyAsync(connection, payload["d"] as JsonObject);
            case 6:
                return await ResumeAsync(connection, payload["d"] as JsonObject);
            default:
                return connection.Identified ? null : (4003, "Not authenticated");
        }
    }

    private async Task WatchHeartbeatsAsync(FakeGatewayConnection connection, int intervalMs, CancellationToken ct)
    {
        // Discord closes a connection whose client stopped beating; the grace is generous to stay deterministic.
        var grace = TimeSpan.FromMilliseconds((intervalMs * 3) + 500);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(intervalMs / 2, ct);
                if (server.Now - connection.LastHeartbeat > grace)
                {
                    await connection.CloseAsync(4000, "Heartbeat timeout");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
    }

    private bool TakeSilent()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _silentConnections);
            if (left <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _silentConnections, left - 1, left) != left);
        return true;
    }
}
