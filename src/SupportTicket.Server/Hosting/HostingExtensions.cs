using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Logging;

namespace SupportTicket.Server.Hosting;

internal static class HostingExtensions
{
    // SERVER_MODE picks the environment. It must be known before the builder exists: the host cannot change environment
    // afterwards. Null leaves ASPNETCORE_ENVIRONMENT (or a test host) in charge.
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

    public static WebApplicationBuilder ConfigureHosting(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddFlatEnvironment();

        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        builder.Services.AddTrustedProxies();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((k, options) =>
        {
            var server = options.Value;
            k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            // Kestrel answers its own 414/431 with an empty body. Its limits sit at 4x ours, so RequestSizeGuard
            // answers everything between with the error body; only beyond 4x does Kestrel cut the request short.
            k.Limits.MaxRequestLineSize = 4 * server.MaxRequestLineBytes;
            k.Limits.MaxRequestHeadersTotalSize = 4 * server.MaxRequestHeadersBytes;
            k.AddServerHeader = false;
        });
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<ServerOptions>>((s, options) =>
            s.UnsafePreferInlineScheduling = options.Value.UnsafePreferInlineScheduling);
        var explicitUrls = builder.Configuration["urls"] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        if (string.IsNullOrEmpty(explicitUrls) && ServerOptions.PortIn(builder.Configuration) is var port and >= 0 and <= 65535)
            builder.WebHost.UseUrls($"http://0.0.0.0:{port}");

        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<ServerOptions>>((o, options) => o.AddDefaultPolicy(p =>
        {
            if (options.Value.CorsOrigins.Length > 0)
                p.WithOrigins(options.Value.CorsOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()
                    .WithExposedHeaders("Link", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Correlation-Id");
        }));

        builder.ConfigureLogging();
        return builder;
    }
}
