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
            // Checked here, not left to the CORS policy: it throws at the first request pipeline build, with a stack trace.
            .Validate(o => !o.CorsOrigins.Any(c => c.Contains('*')),
                "CORS_ALLOWED_ORIGINS (Server:CorsAllowedOrigins) may not contain '*': the API allows credentials, which browsers refuse for any origin; list the widget's origins, e.g. https://shop.example.com")
            .Validate(o => o.CorsOrigins.All(c => c.Contains('*') || ServerOptions.IsOrigin(c)),
                "CORS_ALLOWED_ORIGINS (Server:CorsAllowedOrigins) must list origins as scheme://host[:port] with no path, comma-separated")
            .ValidateOnStart();
        builder.Services.AddTrustedProxies();

        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            // Kestrel answers its own 414/431 with an empty body. Its limits sit at 4x ours, so RequestSizeGuard
            // answers everything between with the error body; only beyond 4x does Kestrel cut the request short.
            k.Limits.MaxRequestLineSize = 4 * server.MaxRequestLineBytes;
            k.Limits.MaxRequestHeadersTotalSize = 4 * server.MaxRequestHeadersBytes;
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
