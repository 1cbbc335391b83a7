using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Metrics;

// With METRICS_TOKEN set, only a request bearing it may scrape (any mode); without it, anyone outside PRODUCTION
// and nobody in PRODUCTION (404), so the public port never shows it by accident. Answered before authentication:
// the JWT handler and its failure limit never see the metrics token.
internal static class MetricsSetup
{
    public const string Path = "/metrics";

    private static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        // Not "System.Runtime": three of its gauges end in _count (dotnet_assembly_count, …), which promtool
        // rejects for anything but histograms and summaries.
    ];

    public static IServiceCollection AddServerMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddMeter(BuiltInMeters)
            .AddMeter(ServerMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var token = app.Configuration["Metrics:Token"];
        if (string.IsNullOrWhiteSpace(token) && app.Environment.IsProduction()) return app;
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null,
            predicate: context => context.Request.Path == Path, path: null,
            configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (string.IsNullOrWhiteSpace(token)
                    || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), expected))
                    await next(context);
                else
                    await ApiErrors.Write(context, ApiError.Unauthorized("A metrics token is required: Authorization: Bearer <METRICS_TOKEN>"));
            }), optionsName: null);
        return app;
    }
}
