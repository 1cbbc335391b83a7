using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupportTicket.Discord;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Rest;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Infrastructure;

/// <summary>A fake Discord on its own port and a client pointed at it, with intervals shrunk for tests.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private Harness(FakeDiscordServer fake, DiscordClientOptions options)
    {
        Fake = fake;
        Options = options;
        Rest = new DiscordRestClient(_http, Microsoft.Extensions.Options.Options.Create(options), Logs.CreateLogger<DiscordRestClient>());
    }

    /// <summary>Set DISCORD_TEST_LOG=1 to see the clients' logs when a test misbehaves.</summary>
    private static readonly ILoggerFactory Logs = Environment.GetEnvironmentVariable("DISCORD_TEST_LOG") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;

    public FakeDiscordServer Fake { get; }

    public DiscordClientOptions Options { get; }

    public DiscordRestClient Rest { get; }

    public static async Task<Harness> StartAsync(FakeDiscordOptions? fake = null, Action<DiscordClientOptions>? configure = null)
    {
        // 5 s heartbeats unless a test asks otherwise: a short beat can miss its ACK on a loaded 2-core machine,
        // and a false zombie would add a Resume that count-based assertions do not expect.
        var server = new FakeDiscordServer(fake ?? new FakeDiscordOptions { HeartbeatIntervalMs = 5000 });
        await server.StartAsync();
        var options = new DiscordClientOptions
        {
            Token = server.Options.Token,
            ApiBaseUrl = server.ApiBaseUrl,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RateLimitMargin = TimeSpan.FromMilliseconds(10),
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            InvalidSessionDelayMin = TimeSpan.FromMilliseconds(50),
            InvalidSessionDelayMax = TimeSpan.FromMilliseconds(150),
            RequestTimeout = TimeSpan.FromSeconds(10),
            // Discord's 5 s identify spacing and 15 s crash-loop pause would make every re-identify test slow;
            // the tests that check them set their own values.
            IdentifyInterval = TimeSpan.FromMilliseconds(20),
            CrashLoopDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return new Harness(server, options);
    }

    public GatewayProbe StartGateway(Action<DiscordClientOptions>? configure = null, GatewaySession? resumeFrom = null)
    {
        var options = Options with { };
        configure?.Invoke(options);
        // REST keeps the harness' valid token, so a test can give the Gateway a bad one on its own.
        var client = new DiscordGatewayClient(Rest, Microsoft.Extensions.Options.Options.Create(options), Logs.CreateLogger<DiscordGatewayClient>());
        return GatewayProbe.Start(client, resumeFrom);
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        _http.Dispose();
    }
}
