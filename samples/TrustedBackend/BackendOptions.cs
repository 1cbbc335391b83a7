using System.Text;

namespace SupportTicket.TrustedBackend;

/// <summary>Settings, read from the flat environment names docs/integrating.md documents.</summary>
public sealed class BackendOptions
{
    public string TicketServerUrl { get; set; } = "http://localhost:5000";
    public string JwtSecretKey { get; set; } = "";
    public int TokenLifetimeSeconds { get; set; } = 300;
    public int RefreshLifetimeHours { get; set; } = 12;
    public string WidgetDir { get; set; } = "";
    /// <summary>The ticket server's Attachments:MaxBytes, so the widget says the limit before an upload.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;
    public bool SeedDemoUsers { get; set; }
    public int AuthRequestsPerMinute { get; set; } = 30;

    /// <summary>Guest sessions one client address may start per hour: guest ids are free, so this is what bounds them.</summary>
    public int GuestsPerHour { get; set; } = 20;

    /// <summary>Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For/-Proto are believed.</summary>
    public string KnownProxies { get; set; } = "";
}

public static class BackendOptionsSetup
{
    public static WebApplicationBuilder AddBackendOptions(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var contentRoot = builder.Environment.ContentRootPath;
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<BackendOptions>()
            .Configure(o =>
            {
                o.TicketServerUrl = (config["TICKET_SERVER_URL"] ?? o.TicketServerUrl).TrimEnd('/');
                o.JwtSecretKey = config["JWT_SECRET_KEY"] ?? "";
                o.TokenLifetimeSeconds = config.GetValue("TOKEN_LIFETIME_SECONDS", o.TokenLifetimeSeconds);
                o.RefreshLifetimeHours = config.GetValue("REFRESH_LIFETIME_HOURS", o.RefreshLifetimeHours);
                // The demo accounts (an ADMIN among them, with published passwords) exist only in Development.
                o.SeedDemoUsers = config.GetValue("SEED_DEMO_USERS", development);
                o.AuthRequestsPerMinute = config.GetValue("AUTH_REQUESTS_PER_MINUTE", o.AuthRequestsPerMinute);
                o.GuestsPerHour = config.GetValue("GUESTS_PER_HOUR", o.GuestsPerHour);
                o.MaxUploadBytes = config.GetValue("MAX_UPLOAD_BYTES", o.MaxUploadBytes);
                o.KnownProxies = config["KNOWN_PROXIES"] ?? "";
                // The widget lives next to this project (samples/widget); override when deployed elsewhere.
                o.WidgetDir = Path.GetFullPath(config["WIDGET_DIR"] ?? Path.Combine(contentRoot, "..", "widget"));
            })
            .Validate(o => Encoding.UTF8.GetByteCount(o.JwtSecretKey) >= 32,
                "JWT_SECRET_KEY must be set to at least 32 bytes (the same key as the ticket server).")
            .Validate(o => Uri.TryCreate(o.TicketServerUrl, UriKind.Absolute, out _),
                "TICKET_SERVER_URL must be an absolute URL, e.g. http://localhost:5000.")
            .Validate(o => o.TokenLifetimeSeconds is >= 30 and <= 3600,
                "TOKEN_LIFETIME_SECONDS must be between 30 and 3600.")
            .Validate(o => !o.SeedDemoUsers || development,
                "SEED_DEMO_USERS=true is allowed only in Development: the demo accounts have published passwords.")
            .Validate(o => o.GuestsPerHour >= 1, "GUESTS_PER_HOUR must be at least 1.")
            .Validate(o => ForwardedHeadersSetup.Parse(o.KnownProxies) is not null,
                "KNOWN_PROXIES must list IP addresses or CIDR networks, comma-separated.")
            .Validate(o => Directory.Exists(Path.Combine(o.WidgetDir, "public")),
                "WIDGET_DIR must point at samples/widget (a folder holding public/).")
            .ValidateOnStart();

        // PORT is the sample's one-knob way to move it; explicit ASPNETCORE_URLS/--urls still win.
        if (string.IsNullOrEmpty(config[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls($"http://localhost:{config.GetValue("PORT", 5100)}");
        }

        return builder;
    }
}
