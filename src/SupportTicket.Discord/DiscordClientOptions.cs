namespace SupportTicket.Discord;

public sealed record DiscordClientOptions
{
    public const string SectionName = "Discord";

    public string Token { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    public string UserAgent { get; set; } = "DiscordBot (https://github.com/supportticket/supportticket, 1.0)";

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    // A rate-limit wait longer than this fails the call with DiscordRateLimitedException.
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    // Added to every rate-limit wait to absorb timer and clock jitter (discord.js uses 50 ms too).
    public TimeSpan RateLimitMargin { get; set; } = TimeSpan.FromMilliseconds(50);

    public int GlobalRequestsPerWindow { get; set; } = 50;

    public TimeSpan GlobalWindow { get; set; } = TimeSpan.FromSeconds(1);

    public int MaxAttempts { get; set; } = 3;

    // At most this many 429s are retried for one call, so a misbehaving bucket cannot cause a storm.
    public int Max429Retries { get; set; } = 4;

    // Past this many 401/403/429 answers in ten minutes, requests are spaced out (Cloudflare bans at 10,000).
    public int InvalidRequestSlowdownStart { get; set; } = 2500;

    public int InvalidRequestStop { get; set; } = 9000;

    public TimeSpan InvalidRequestMaxSpacing { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public int Intents { get; set; } = GatewayIntents.Default;

    public TimeSpan InvalidSessionDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan InvalidSessionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    // Discord closes a connection with 4008 past 120 sends per 60 s; stay a little below it.
    public int GatewaySendLimit { get; set; } = 110;

    public TimeSpan GatewaySendWindow { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan GatewayConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    // Discord sends Hello at once; a connection without one within this time is abandoned and retried.
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    // Least time between two Identify payloads. Discord allows max_concurrency identifies per 5 s; with one shard that
    // means one every 5 s. Only tests should lower it.
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    // A session that ends sooner than this after READY counts as a crash: the next Identify waits longer.
    public TimeSpan StableSessionTime { get; set; } = TimeSpan.FromSeconds(60);

    // The pause before identifying again after a session crashed right after READY; it doubles with every crash in a
    // row up to CrashLoopMaxDelay, so a crash loop cannot burn the 1000 identifies a day.
    public TimeSpan CrashLoopDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan CrashLoopMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    public int ResumeAttemptsBeforeFallback { get; set; } = 2;
}

public static class GatewayIntents
{
    public const int Guilds = 1;
    public const int GuildMessages = 512;
    public const int GuildMessageTyping = 2048;
    public const int MessageContent = 32768;
    public const int Default = Guilds | GuildMessages | MessageContent;
}
