using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Metrics;

/// <summary>
/// /metrics in Prometheus' text format (OpenTelemetry's exporter): ASP.NET Core's, Kestrel's and SignalR's
/// built-in meters, plus <see cref="ServerMetrics"/>. Who may scrape: with METRICS_TOKEN set, only a
/// request with "Authorization: Bearer &lt;METRICS_TOKEN&gt;" (any mode); without it, anyone outside PRODUCTION and
/// nobody in PRODUCTION (404, the endpoint does not exist), so the public port never shows it by accident.
/// It is answered before authentication: the JWT handler and its failure limit never see the metrics token.
/// </summary>
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
