namespace SupportTicket.Server.Discord;

public sealed class DiscordBotState(TimeProvider clock)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastEventAt;
    private int _unauthorized;

    public ulong BotUserId { get; private set; }
    public ulong ApplicationId { get; private set; }
    public bool Connected { get; set; }
    public string? GatewayError { get; set; }

    // Completes at the first READY: the sender needs the bot's own user id for channel overwrites.
    public Task Ready => _ready.Task;

    public DateTimeOffset? LastEventAt => Interlocked.Read(ref _lastEventAt) is var t and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null;

    public bool Unauthorized => Volatile.Read(ref _unauthorized) == 1;

    public void OnReady(ulong botUserId, ulong applicationId)
    {
        BotUserId = botUserId;
        ApplicationId = applicationId;
        Connected = true;
        _ready.TrySetResult();
    }

    public void OnEvent() => Interlocked.Exchange(ref _lastEventAt, clock.GetUtcNow().ToUnixTimeMilliseconds());

    public bool MarkUnauthorized() => Interlocked.Exchange(ref _unauthorized, 1) == 0;
}
