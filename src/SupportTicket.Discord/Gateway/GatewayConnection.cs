using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SupportTicket.Discord.Gateway;

internal sealed partial class GatewayConnection(
    DiscordClientOptions options, GatewayState state, IdentifyLimiter identify, ChannelWriter<GatewayEvent> events, ILogger logger)
{
    private GatewaySocket _socket = null!;
    private volatile bool _acked = true;
    private volatile bool _zombie;
    private bool _reachedReady;

    public async Task<ConnectionOutcome> RunAsync(string baseUrl, bool resume, CancellationToken ct)
    {
        using var client = new ClientWebSocket();
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(options.GatewayConnectTimeout);
            await client.ConnectAsync(new Uri($"{baseUrl.TrimEnd('/')}?v=10&encoding=json"), connect.Token);
        }

        using var socket = new GatewaySocket(client, options.GatewaySendLimit, options.GatewaySendWindow);
        _socket = socket;
        using var heartbeatCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Cancelling a pending ClientWebSocket receive aborts the socket, so shutdown instead sends a close frame
        // and lets the receive loop end on the server's reply. 1000 tells Discord the session is over; a stop that
        // means to resume later closes with 4000, which keeps the session.
        using var shutdown = ct.Register(() => _ = socket.CloseGracefullyAsync(state.StopResumable ? 4000 : 1000));
        var heartbeat = Task.CompletedTask;
        try
        {
            var interval = await ReceiveHelloWithinAsync(options.HelloTimeout, ct);
            if (interval is null)
            {
                return new ConnectionOutcome(NextStep.Resume, false, null, "no Hello");
            }

            heartbeat = HeartbeatLoopAsync(interval.Value, heartbeatCts.Token);
            await (resume ? SendResumeAsync(ct) : SendIdentifyAsync(ct));
            return await ReceiveLoopAsync(ct);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            logger.LogWarning("Gateway connection lost ({Reason})", _zombie ? "no heartbeat ACK" : ex.Message);
            return new ConnectionOutcome(NextStep.Resume, _reachedReady, null, _zombie ? "zombie" : "dropped");
        }
        finally
        {
            await heartbeatCts.CancelAsync();
            await heartbeat;
            socket.Socket.Abort();
        }
    }

    private async Task<int?> ReceiveHelloWithinAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var hello = CancellationTokenSource.CreateLinkedTokenSource(ct);
        hello.CancelAfter(timeout);
        try
        {
            using var frame = await _socket.ReceiveAsync(hello.Token);
            if (frame.Payload is null || Op(frame.Payload) != GatewayOpCodes.Hello)
            {
                return null;
            }

            return frame.Payload.RootElement.GetProperty("d").GetProperty("heartbeat_interval").GetInt32();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("No Hello within {TimeoutMs} ms; abandoning the connection", timeout.TotalMilliseconds);
            return null;
        }
    }

    private async Task<ConnectionOutcome> ReceiveLoopAsync(CancellationToken ct)
    {
        while (true)
        {
            using var frame = await _socket.ReceiveAsync(CancellationToken.None);
            if (frame.Payload is null)
            {
                logger.LogWarning("Gateway closed with {CloseCode} {Reason}", frame.CloseCode, frame.CloseReason);
                return ConnectionOutcome.ForClose(frame.CloseCode, frame.CloseReason, _reachedReady);
            }

            var root = frame.Payload.RootElement;
            switch (Op(frame.Payload))
            {
                case GatewayOpCodes.Dispatch:
                    await HandleDispatchAsync(root, ct);
                    break;
                case GatewayOpCodes.Heartbeat:
                    await SendHeartbeatAsync(ct);
                    break;
                case GatewayOpCodes.HeartbeatAck:
                    _acked = true;
                    break;
                case GatewayOpCodes.Reconnect:
                    logger.LogInformation("Gateway asked for a reconnect");
                    await _socket.CloseQuietlyAsync(4000, "reconnect requested");
                    return new ConnectionOutcome(NextStep.Resume, _reachedReady, null, "op 7");
                case GatewayOpCodes.InvalidSession:
                    return await InvalidSessionAsync(root.GetProperty("d").ValueKind == JsonValueKind.True);
            }
        }
    }

    private async Task<ConnectionOutcome> InvalidSessionAsync(bool resumable)
    {
        logger.LogWarning("Gateway invalidated the session (resumable: {Resumable})", resumable);
        await _socket.CloseQuietlyAsync(4000, "invalid session");
        if (resumable)
        {
            return new ConnectionOutcome(NextStep.Resume, _reachedReady, null, "op 9 true");
        }

        // Discord asks for a random 1–5 s pause before identifying again.
        var min = options.InvalidSessionDelayMin;
        var delay = min + ((options.InvalidSessionDelayMax - min) * Random.Shared.NextDouble());
        return new ConnectionOutcome(NextStep.Identify, _reachedReady, null, "op 9 false") { Delay = delay };
    }

    private static int Op(JsonDocument payload) => payload.RootElement.GetProperty("op").GetInt32();
}
