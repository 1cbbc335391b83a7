using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Gateway;

/// <summary>
/// The fake Gateway: one bot session whose dispatches are buffered so a Resume can replay them,
/// plus the controls a test uses to misbehave like Discord does.
/// </summary>
public sealed partial class FakeGateway(FakeDiscordServer server)
{
    // Orders dispatches against Identify/Resume so a replay never interleaves with live events.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<(int Seq, JsonObject Payload)> _buffer = [];
    private readonly ConcurrentQueue<ConnectionRecord> _connections = new();
    private readonly ConcurrentQueue<int?> _heartbeats = new();
    private readonly ConcurrentDictionary<FakeGatewayConnection, byte> _open = new();
    private FakeGatewayConnection? _current;
    private string? _sessionId;
    private int _seq;
    private volatile FakeGatewayConnection? _zombie;
    private int _identifies;
    private int _resumes;
    private int _silentConnections;
    private int _refusedResumeConnections;

    public int IdentifyCount => Volatile.Read(ref _identifies);

    public int ResumeCount => Volatile.Read(ref _resumes);

    /// <summary>The next this-many connections get no Hello (the client must time out and reconnect).</summary>
    public int SilentConnections
    {
        get => Volatile.Read(ref _silentConnections);
        set => Volatile.Write(ref _silentConnections, value);
    }

    /// <summary>While true, the resume_gateway_url refuses WebSocket upgrades with 503.</summary>
    public bool ResumePathDown { get; set; }

    public int RefusedResumeConnections => Volatile.Read(ref _refusedResumeConnections);

    public IReadOnlyList<ConnectionRecord> Connections => _connections.ToArray();

    /// <summary>The d of every heartbeat the client sent, in order.</summary>
    public IReadOnlyList<int?> HeartbeatSequences => _heartbeats.ToArray();

    public int LastSequence => Volatile.Read(ref _seq);

    public string? SessionId => _sessionId;

    public bool HasIdentifiedConnection => _current is { Identified: true } c && _open.ContainsKey(c);

    /// <summary>Open connections that identified or resumed: more than one means two bots listen at once.</summary>
    public int OpenIdentifiedConnections => _open.Keys.Count(c => c.Identified);

    /// <summary>Sends (or, with no live connection, only buffers) a dispatch with the next sequence number.</summary>
    public async Task<int> DispatchAsync(string type, JsonNode data)
    {
        await _gate.WaitAsync();
        try
        {
            var seq = Interlocked.Increment(ref _seq);
            var payload = new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data.DeepClone() };
            _buffer.Add((seq, payload));
            if (_current is { Identified: true } connection && connection != _zombie)
            {
                await connection.SendAsync(payload);
            }

            return seq;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends an already-delivered dispatch again: Discord may deliver an event twice.</summary>
    public async Task ResendAsync(int sequence)
    {
        await _gate.WaitAsync();
        try
        {
            var (_, payload) = _buffer.Single(b => b.Seq == sequence);
            await SendToCurrentAsync(payload);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task SendHeartbeatRequestAsync() => SendToCurrentAsync(new JsonObject { ["op"] = 1, ["d"] = null });

    /// <summary>
    /// Turns the current connection into a zombie: heartbeats are no longer ACKed and dispatches are only buffered,
    /// as when traffic stops flowing. A new connection (after Resume) behaves normally again.
    /// </summary>
    public void StopAcking() => _zombie = _current;

    /// <summary>op 7; Discord then closes with 4000 if the client has not left after a while.</summary>
    public async Task ReconnectAsync()
    {
        var connection = _current;
        await SendToCurrentAsync(new JsonObject { ["op"] = 7, ["d"] = null });
        if (connection is not null)
        {
            _ = Task.Delay(server.Options.ReconnectCloseDelay).ContinueWith(
                _ => connection.CloseAsync(4000, "reconnect"), TaskScheduler.Default);
        }
    }

    /// <summary>op 9. With false the session is forgotten, so only a fresh Identify works.</summary>
    public async Task InvalidSessionAsync(bool resumable)
    {
        if (!resumable)
        {
            _sessionId = null;
        }

        await SendToCurrentAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });
    }

    public async Task CloseAsync(int code, string reason = "closed by test")
    {
        if (code is 4007 or 4009)
        {
            _sessionId = null;
        }

        if (_current is { } connection)
        {
            await connection.CloseAsync(code, reason);
        }
    }

    /// <summary>Kills the TCP connection without a close frame.</summary>
    public void DropTcp() => _current?.Drop();

    internal void AbortAll()
    {
        foreach (var connection in _open.Keys)
        {
            connection.Drop();
        }
    }

    private async Task SendToCurrentAsync(JsonObject payload)
    {
        if (_current is { } connection)
        {
            await connection.SendAsync(payload);
        }
    }

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
