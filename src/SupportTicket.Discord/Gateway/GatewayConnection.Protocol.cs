using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupportTicket.Discord.Json;

namespace SupportTicket.Discord.Gateway;

internal sealed partial class GatewayConnection
{
    private async Task HandleDispatchAsync(JsonElement root, CancellationToken ct)
    {
        var type = root.GetProperty("t").GetString() ?? "";
        var sequence = root.GetProperty("s").GetInt32();
        var data = root.GetProperty("d");
        GatewayEvent ev;
        try
        {
            ev = DispatchParser.Parse(type, data, sequence);
        }
        catch (JsonException ex)
        {
            // One malformed event must not kill the connection; pass it on untyped.
            logger.LogWarning(ex, "Could not parse {EventType} dispatch", type);
            ev = new UnknownDispatchEvent(type, data.Clone()) { Sequence = sequence };
        }

        if (ev is ReadyEvent ready)
        {
            state.StartSession(ready.SessionId, ready.ResumeGatewayUrl, sequence);
            _reachedReady = true;
            logger.LogInformation("Gateway READY as {UserId}", ready.User.Id);
        }
        else if (!state.TryAdvance(sequence))
        {
            logger.LogDebug("Skipping duplicate dispatch {EventType} s={Sequence}", type, sequence);
            return;
        }

        if (ev is ResumedEvent)
        {
            _reachedReady = true;
            logger.LogInformation("Gateway session resumed at s={Sequence}", sequence);
        }

        await events.WriteAsync(ev, ct);
    }

    private async Task HeartbeatLoopAsync(int intervalMs, CancellationToken ct)
    {
        try
        {
            // Jitter the first beat so that many clients reconnecting together do not beat in lockstep.
            await Task.Delay(TimeSpan.FromMilliseconds(intervalMs * Random.Shared.NextDouble()), ct);
            while (!ct.IsCancellationRequested)
            {
                if (!_acked)
                {
                    // No ACK since the last beat: the connection is a zombie. Abort so the receive loop resumes.
                    _zombie = true;
                    logger.LogWarning("No heartbeat ACK within {IntervalMs} ms; reconnecting", intervalMs);
                    _socket.Socket.Abort();
                    return;
                }

                _acked = false;
                await SendHeartbeatAsync(ct);
                await Task.Delay(intervalMs, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
        }
    }

    private Task SendHeartbeatAsync(CancellationToken ct)
    {
        // Written by hand because d must be an explicit null before the first dispatch.
        var seq = state.Sequence is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null";
        return _socket.SendAsync($"{{\"op\":1,\"d\":{seq}}}", ct);
    }

    private async Task SendIdentifyAsync(CancellationToken ct)
    {
        var payload = new
        {
            op = GatewayOpCodes.Identify,
            d = new
            {
                token = options.Token,
                intents = options.Intents,
                properties = new { os = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), browser = "SupportTicket", device = "SupportTicket" },
            },
        };
        logger.LogInformation("Gateway identifying with intents {Intents}", options.Intents);
        try
        {
            await _socket.SendAsync(JsonSerializer.Serialize(payload, DiscordJson.Options), ct);
        }
        finally
        {
            // Marked after the send (even a failed one may have reached Discord), so the spacing to the next
            // Identify is never shorter than Discord sees it.
            identify.IdentifySent();
        }
    }

    private Task SendResumeAsync(CancellationToken ct)
    {
        var resume = new { op = GatewayOpCodes.Resume, d = new { token = options.Token, session_id = state.SessionId, seq = state.Sequence } };
        logger.LogInformation("Gateway resuming at s={Sequence}", state.Sequence);
        return _socket.SendAsync(JsonSerializer.Serialize(resume, DiscordJson.Options), ct);
    }
}
