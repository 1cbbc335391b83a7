using SupportTicket.Server.Logging;

namespace SupportTicket.Server.Hosting;

internal static class HostingExtensions
{
    /// <summary>
    /// SERVER_MODE picks the environment. It must be known before the builder exists: the host cannot change
    /// environment afterwards. Null leaves ASPNETCORE_ENVIRONMENT (or a test host) in charge.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var mode = Environment.GetEnvironmentVariable("SERVER_MODE")?.Trim().ToUpperInvariant();
        var environment = mode switch
        {
            "PRODUCTION" => Environments.Production,
            "DEVELOPMENT" => Environments.Development,
            null or "" => null,
            _ => throw new ConfigurationException("SERVER_MODE must be PRODUCTION or DEVELOPMENT"),
        };
        return new WebApplicationOptions { Args = args, EnvironmentName = environment };
    }

    /// <summary>Configuration, Kestrel, CORS and logging (Logging/LoggingSetup.cs).</summary>
    public static WebApplicationBuilder ConfigureHosting(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddFlatEnvironment();

        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.ProxyEntries.All(TrustedProxies.IsAddressOrNetwork), "KNOWN_PROXIES must list IP addresses or CIDR networks, comma-separated")
            .ValidateOnStart();
        builder.Services.AddTrustedProxies();

        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        var explicitUrls = builder.Configuration["urls"] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        if (string.IsNullOrEmpty(explicitUrls) && server.Port is >= 0 and <= 65535)
            builder.WebHost.UseUrls($"http://0.0.0.0:{server.Port}");

        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (server.CorsOrigins.Length > 0)
                p.WithOrigins(server.CorsOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()
                    .WithExposedHeaders("Link", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Correlation-Id");
        }));

        builder.ConfigureLogging();
        return builder;
    }
}
