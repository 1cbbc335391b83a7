using System.Text;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Gateway;

public sealed partial class FakeGateway
{
    private const int ValidIntents = (1 << 26) - 1;
    private const int MessageContentIntent = 32768;

    private async Task<(int, string)?> IdentifyAsync(FakeGatewayConnection connection, JsonObject? d)
    {
        if (connection.Identified)
        {
            return (4005, "Already authenticated");
        }

        var token = d?["token"]?.GetValue<string>();
        if (token != server.Options.Token && token != $"Bot {server.Options.Token}")
        {
            return (4004, "Authentication failed");
        }

        var intents = d?["intents"] is JsonValue i && i.TryGetValue<int>(out var value) ? value : -1;
        if (intents < 0 || (intents & ~ValidIntents) != 0)
        {
            return (4013, "Invalid intent(s)");
        }

        if ((intents & MessageContentIntent) != 0 && !server.Options.MessageContentAllowed)
        {
            return (4014, "Disallowed intent(s)");
        }

        var (refused, close) = await ApplyIdentifyLimitsAsync(connection);
        if (refused)
        {
            return close;
        }

        Interlocked.Increment(ref _identifies);
        await _gate.WaitAsync();
        try
        {
            _sessionId = Guid.NewGuid().ToString("N");
            _buffer.Clear();
            Volatile.Write(ref _seq, 0);
            connection.Identified = true;
            Replace(connection);
            var ready = Next("READY", new JsonObject
            {
                ["v"] = 10,
                ["user"] = server.BotUser(),
                ["guilds"] = new JsonArray(new JsonObject { ["id"] = server.GuildId.ToString(), ["unavailable"] = true }),
                ["session_id"] = _sessionId,
                ["resume_gateway_url"] = server.ResumeGatewayUrl,
                ["application"] = new JsonObject { ["id"] = server.ApplicationId.ToString(), ["flags"] = 0 },
            });
            // READY is large on the real Gateway; splitting it checks the client reads whole messages.
            await connection.SendAsync(Encoding.UTF8.GetBytes(ready.ToJsonString()), server.Options.ReadyFrameSize);
            await connection.SendAsync(Next("GUILD_CREATE", server.GuildCreatePayload()));
        }
        finally
        {
            _gate.Release();
        }

        return null;
    }

    private async Task<(int, string)?> ResumeAsync(FakeGatewayConnection connection, JsonObject? d)
    {
        Interlocked.Increment(ref _resumes);
        var token = d?["token"]?.GetValue<string>();
        if (token != server.Options.Token && token != $"Bot {server.Options.Token}")
        {
            return (4004, "Authentication failed");
        }

        await _gate.WaitAsync();
        try
        {
            var seq = d?["seq"] is JsonValue s && s.TryGetValue<int>(out var v) ? v : -1;
            if (_sessionId is null || (string?)d?["session_id"] != _sessionId || seq < 0 || seq > _seq)
            {
                await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false });
                return null;
            }

            connection.Identified = true;
            Replace(connection);
            foreach (var (_, payload) in _buffer.Where(b => b.Seq > seq).ToList())
            {
                await connection.SendAsync(payload);
            }

            await connection.SendAsync(Next("RESUMED", new JsonObject()));
        }
        finally
        {
            _gate.Release();
        }

        return null;
    }

    /// <summary>A new connection for the session makes any older one dead, as on Discord.</summary>
    private void Replace(FakeGatewayConnection connection)
    {
        var previous = _current;
        _current = connection;
        if (previous is not null && previous != connection)
        {
            previous.Drop();
        }
    }

    private JsonObject Next(string type, JsonObject data)
    {
        var seq = Interlocked.Increment(ref _seq);
        var payload = new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data };
        _buffer.Add((seq, payload));
        return payload;
    }
}
