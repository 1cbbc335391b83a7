namespace SupportTicket.FakeDiscord;

/// <summary>A fixed window of <paramref name="Limit"/> requests per <paramref name="Per"/>.</summary>
public sealed record BucketConfig(int Limit, TimeSpan Per, string? Hash = null);

/// <summary>Knobs for the fake. Defaults are Discord's; tests shrink the intervals.</summary>
public sealed record FakeDiscordOptions
{
    public string Token { get; init; } = "fake-bot-token." + Guid.NewGuid().ToString("N");

    public int HeartbeatIntervalMs { get; init; } = 300;

    /// <summary>Without MESSAGE_CONTENT enabled in the portal, Discord closes an Identify asking for it with 4014.</summary>
    public bool MessageContentAllowed { get; init; } = true;

    public int GlobalLimit { get; init; } = 50;

    public TimeSpan GlobalWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Discord's per-channel message bucket: 5 per 2 s (observed).</summary>
    public BucketConfig MessageBucket { get; init; } = new(5, TimeSpan.FromSeconds(2));

    public BucketConfig DefaultBucket { get; init; } = new(10, TimeSpan.FromSeconds(1));

    /// <summary>
    /// Per-route buckets ("PATCH /channels/{channel_id}"). Routes whose configs name the same Hash share one window
    /// per major parameter, as Discord's shared buckets do.
    /// </summary>
    public IReadOnlyDictionary<string, BucketConfig> RouteBuckets { get; init; } = new Dictionary<string, BucketConfig>();

    /// <summary>Discord: 15 webhooks per channel, then 400/30007.</summary>
    public int MaxWebhooksPerChannel { get; init; } = 15;

    /// <summary>Discord: 50 channels per category, then 400/50035 with CHANNEL_PARENT_MAX_CHANNELS on parent_id.</summary>
    public int MaxChannelsPerCategory { get; init; } = 50;

    /// <summary>Discord: 500 channels per guild (categories included), then 400/30013.</summary>
    public int MaxGuildChannels { get; init; } = 500;

    public long MaxFileSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>
    /// How long Discord answers a repeated enforce_nonce create with the first message ("a few minutes"); after that
    /// the same nonce posts again. Tests shrink it so a late retry does not need a real wait.
    /// </summary>
    public TimeSpan NonceWindow { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Webhook executes per channel per <see cref="WebhookWindow"/>, whichever webhook posts (Discord: 30 per minute,
    /// observed). A sublimit: the route's bucket headers do not announce it, so its 429s are counted apart.
    /// </summary>
    public int WebhookPostsPerChannel { get; init; } = 30;

    public TimeSpan WebhookWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Share of REST requests that fail at random (soak tests): a 429, a 502 before the request is processed, or a
    /// 502 after it was (the answer lost). Counted as forced faults. Zero, the default, leaves the fake deterministic.
    /// </summary>
    public double RandomFaultRate { get; init; }

    public int RandomFaultSeed { get; init; } = 24;

    public TimeSpan InteractionTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>READY is sent in frames this big, to check the client reads until EndOfMessage.</summary>
    public int ReadyFrameSize { get; init; } = 64;

    public int GatewaySendLimit { get; init; } = 120;

    public TimeSpan GatewaySendWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after op 7 the fake closes with 4000 if the client has not left.</summary>
    public TimeSpan ReconnectCloseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Identifies allowed per <see cref="SessionStartResetAfter"/>; one more resets the token (4004, then REST 401).</summary>
    public int SessionStartTotal { get; init; } = 1000;

    public TimeSpan SessionStartResetAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// An Identify sooner than this after the previous one gets op 9 false (Discord: one per 5 s with
    /// max_concurrency 1). Zero, the default, leaves it unchecked so tests can identify quickly.
    /// </summary>
    public TimeSpan MinIdentifyInterval { get; init; } = TimeSpan.Zero;

    public bool LogToConsole { get; init; }
}
