using System.Text;

namespace SupportTicket.TrustedBackend;

/// <summary>Settings, read from the flat environment names the README documents.</summary>
public sealed class BackendOptions
{
    public string TicketServerUrl { get; set; } = "http://localhost:5000";
    public string JwtSecretKey { get; set; } = "";
    public int TokenLifetimeSeconds { get; set; } = 300;
    public int RefreshLifetimeHours { get; set; } = 12;
    public string WidgetDir { get; set; } = "";
    public bool SeedDemoUsers { get; set; } = true;
    public int AuthRequestsPerMinute { get; set; } = 30;
}

public static class BackendOptionsSetup
{
    public static WebApplicationBuilder AddBackendOptions(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddOptions<BackendOptions>()
            .Configure(o =>
            {
                o.TicketServerUrl = (config["TICKET_SERVER_URL"] ?? o.TicketServerUrl).TrimEnd('/');
                o.JwtSecretKey = config["JWT_SECRET_KEY"] ?? "";
                o.TokenLifetimeSeconds = config.GetValue("TOKEN_LIFETIME_SECONDS", o.TokenLifetimeSeconds);
                o.RefreshLifetimeHours = config.GetValue("REFRESH_LIFETIME_HOURS", o.RefreshLifetimeHours);
                o.SeedDemoUsers = config.GetValue("SEED_DEMO_USERS", o.SeedDemoUsers);
                o.AuthRequestsPerMinute = config.GetValue("AUTH_REQUESTS_PER_MINUTE", o.AuthRequestsPerMinute);
                // The widget lives next to this project (samples/widget); override when deployed elsewhere.
                o.WidgetDir = Path.GetFullPath(config["WIDGET_DIR"] ?? Path.Combine(contentRoot, "..", "widget"));
            })
            .Validate(o => Encoding.UTF8.GetByteCount(o.JwtSecretKey) >= 32,
                "JWT_SECRET_KEY must be set to at least 32 bytes (the same key as the ticket server).")
            .Validate(o => Uri.TryCreate(o.TicketServerUrl, UriKind.Absolute, out _),
                "TICKET_SERVER_URL must be an absolute URL, e.g. http://localhost:5000.")
            .Validate(o => o.TokenLifetimeSeconds is >= 30 and <= 3600,
                "TOKEN_LIFETIME_SECONDS must be between 30 and 3600.")
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
