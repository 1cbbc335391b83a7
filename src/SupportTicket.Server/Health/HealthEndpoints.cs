using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Health;

internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        }));
    }
}

internal sealed class StoreHealthCheck(AppDbContext db, DatabaseTarget target) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await db.Database.CanConnectAsync(cancellationToken)) return HealthCheckResult.Healthy($"{target.Provider} reachable");
            if (target.Provider == DatabaseProvider.Postgres) Npgsql.NpgsqlConnection.ClearAllPools();
            return HealthCheckResult.Unhealthy($"{target.Provider} unreachable");
        }
        catch (Exception e)
        {
            // Connections a PostgreSQL restart broke stay in the pool until used; drop them so recovery is prompt.
            if (target.Provider == DatabaseProvider.Postgres) Npgsql.NpgsqlConnection.ClearAllPools();
            return HealthCheckResult.Unhealthy($"{target.Provider} unreachable: {e.GetType().Name}");
        }
    }
}
