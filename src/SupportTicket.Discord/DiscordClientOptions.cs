namespace SupportTicket.Discord;

/// <summary>Settings for the REST and Gateway clients. Every interval is overridable so tests can run fast.</summary>
public sealed record DiscordClientOptions
{
    public const string SectionName = "Discord";

    /// <summary>The bot token, without the "Bot " prefix. Never logged.</summary>
    public string Token { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    public string UserAgent { get; set; } = "DiscordBot (https://github.com/supportticket/supportticket, 1.0)";

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A rate-limit wait longer than this fails the call with DiscordRateLimitedException.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Added to every rate-limit wait to absorb timer and clock jitter (discord.js uses 50 ms too).</summary>
    public TimeSpan RateLimitMargin { get; set; } = TimeSpan.FromMilliseconds(50);

    public int GlobalRequestsPerWindow { get; set; } = 50;

    public TimeSpan GlobalWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Total tries for a request that fails with 5xx or a transport error.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>At most this many 429s are retried for one call, so a misbehaving bucket cannot cause a storm.</summary>
    public int Max429Retries { get; set; } = 4;

    /// <summary>Past this many 401/403/429 answers in ten minutes, requests are spaced out (Cloudflare bans at 10,000).</summary>
    public int InvalidRequestSlowdownStart { get; set; } = 2500;

    /// <summary>At this many, nothing is sent until older invalid answers leave the ten-minute window.</summary>
    public int InvalidRequestStop { get; set; } = 9000;

    /// <summary>The spacing between requests just below <see cref="InvalidRequestStop"/>; it grows linearly from zero.</summary>
    public TimeSpan InvalidRequestMaxSpacing { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public int Intents { get; set; } = GatewayIntents.Default;

    public TimeSpan InvalidSessionDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan InvalidSessionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Base of the exponential backoff between failed gateway connection attempts.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Discord closes a connection with 4008 past 120 sends per 60 s; stay a little below it.</summary>
    public int GatewaySendLimit { get; set; } = 110;

    public TimeSpan GatewaySendWindow { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan GatewayConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Discord sends Hello at once; a connection without one within this time is abandoned and retried.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Least time between two Identify payloads. Discord allows max_concurrency identifies per 5 s; with one shard
    /// that means one every 5 s. Only tests should lower it.
    /// </summary>
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A session that ends sooner than this after READY counts as a crash: the next Identify waits longer.</summary>
    public TimeSpan StableSessionTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The pause before identifying again after a session crashed right after READY; it doubles with every crash in a
    /// row up to <see cref="CrashLoopMaxDelay"/>, so a crash loop cannot burn the 1000 identifies a day.
    /// </summary>
    public TimeSpan CrashLoopDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan CrashLoopMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After this many failed attempts to resume on resume_gateway_url, the resume is tried on the gateway URL.</summary>
    public int ResumeAttemptsBeforeFallback { get; set; } = 2;
}

public static class GatewayIntents
{
    public const int Guilds = 1;
    public const int GuildMessages = 512;
    /// <summary>TYPING_START in guild channels; not in <see cref="Default"/>, add it to see agents typing.</summary>
    public const int GuildMessageTyping = 2048;
    public const int MessageContent = 32768;
    public const int Default = Guilds | GuildMessages | MessageContent;
}
