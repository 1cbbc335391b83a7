using Microsoft.Playwright;
using SupportTicket.Testing;

namespace SupportTicket.Widget.Tests.Infrastructure;

/// <summary>
/// The product as its users meet it: the real ticket server and the trusted backend on loopback
/// ports, sharing a test JWT key, plus one headless Chromium. Started once for all widget tests.
/// </summary>
public class WidgetStack : IAsyncLifetime
{
    public const string JwtKey = "widget-tests-signing-key-0123456789abcdef";

    public const long MaxUploadBytes = 1024 * 1024;

    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("supportticket-widget-").FullName;
    private IPlaywright? _playwright;

    public string DatabasePath => Path.Combine(_dataDir, "tickets.db");

    public KestrelApp Server { get; private set; } = null!;

    public KestrelApp Backend { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The backend's origin must be known up front: it is the origin the server's CORS allows.
        var backendPort = FreeTcpPort.Pick();
        var widgetOrigin = $"http://127.0.0.1:{backendPort}";
        var database = DatabasePath;

        var serverSettings = new Dictionary<string, string?>
        {
            // Section keys: the server maps the flat names (JWT_SECRET_KEY, …) from the process environment only.
            ["Auth:SecretKey"] = JwtKey,
            ["Storage:DatabaseUrl"] = "sqlite:" + database,
            ["Server:CorsAllowedOrigins"] = widgetOrigin,
            // Small enough that a test file goes over it, short enough that a test sees a signed link expire.
            ["Attachments:MaxBytes"] = MaxUploadBytes.ToString(),
            ["Attachments:LinkLifetimeSeconds"] = "10",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in ExtraServerSettings())
        {
            serverSettings[key] = value;
        }

        Server = KestrelApp.Start("SupportTicket.Server", FreeTcpPort.Pick(), serverSettings);

        Backend = KestrelApp.Start("TrustedBackend", backendPort, new Dictionary<string, string?>
        {
            ["JWT_SECRET_KEY"] = JwtKey,
            ["TICKET_SERVER_URL"] = Server.BaseAddress.ToString().TrimEnd('/'),
            ["WIDGET_DIR"] = Path.Combine(RepoPaths.Root, "samples", "widget"),
            ["TOKEN_LIFETIME_SECONDS"] = "300",
            ["AUTH_REQUESTS_PER_MINUTE"] = "1000",
            ["MAX_UPLOAD_BYTES"] = MaxUploadBytes.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        });

        // Generous: `dotnet test` on the solution runs other test projects (and PostgreSQL) alongside on 2 cores.
        // Expectations return as soon as they hold, so this only matters when the machine is slow.
        Assertions.SetDefaultExpectTimeout(15_000);
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: `apt-get install -y chromium` (tests/run.sh does it). Never `playwright install`.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>Settings a derived stack adds to the ticket server's (business hours, lifecycle timers).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraServerSettings() => new Dictionary<string, string?>();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Backend.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; a leftover temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WidgetStackCollection : ICollectionFixture<WidgetStack>
{
    public const string Name = "widget stack";
}
