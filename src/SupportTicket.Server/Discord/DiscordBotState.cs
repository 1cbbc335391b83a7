namespace SupportTicket.Server.Discord;

/// <summary>What the bot knows about its Discord session, shared by the gateway listener, the sender and the status endpoint.</summary>
public sealed class DiscordBotState(TimeProvider clock)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastEventAt;
    private int _unauthorized;

    public ulong BotUserId { get; private set; }
    public ulong ApplicationId { get; private set; }
    public bool Connected { get; set; }
    public string? GatewayError { get; set; }

    /// <summary>Completes at the first READY: the sender needs the bot's own user id for channel overwrites.</summary>
    public Task Ready => _ready.Task;

    public DateTimeOffset? LastEventAt => Interlocked.Read(ref _lastEventAt) is var t and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null;

    /// <summary>Discord rejected the token (401): all Discord traffic has stopped until a restart with a new token.</summary>
    public bool Unauthorized => Volatile.Read(ref _unauthorized) == 1;

    public void OnReady(ulong botUserId, ulong applicationId)
    {
        BotUserId = botUserId;
        ApplicationId = applicationId;
        Connected = true;
        _ready.TrySetResult();
    }

    public void OnEvent() => Interlocked.Exchange(ref _lastEventAt, clock.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>True for the first caller only, so the critical line is logged once.</summary>
    public bool MarkUnauthorized() => Interlocked.Exchange(ref _unauthorized, 1) == 0;
}
