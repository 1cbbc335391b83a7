using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Health;

namespace SupportTicket.Server.RateLimiting;

public static class RateLimitExtensions
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddSingleton<LocalRateLimitStore>();
        // Resolved lazily so configuration from any source (tests included) decides between memory and Redis.
        services.AddSingleton(sp => new RateLimitRedis(RedisUrl(sp)!)); // only resolved when REDIS_URL is set
        services.AddSingleton<IRateLimitStore>(sp => RedisUrl(sp) is null
            ? sp.GetRequiredService<LocalRateLimitStore>()
            : ActivatorUtilities.CreateInstance<RedisRateLimitStore>(sp));
        services.AddSingleton<RateLimitChecker>();
        services.AddSingleton<OpenTicketCap>();
        services.AddHostedService<RateLimitStartup>();
        services.AddSingleton<IHubCallerIdentity, RealtimeCallerIdentity>();
        services.AddSingleton<HubConnectionCaps>();
        services.AddSingleton<RateLimitHubFilter>();
        // On HubOptions, so it applies to every hub mapped, without the hub knowing about rate limits.
        services.Configure<HubOptions>(o => o.AddFilter<RateLimitHubFilter>());
        services.AddHealthChecks().AddCheck<RateLimitRedisHealthCheck>("rate_limit_redis", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    public static IApplicationBuilder UseAuthFailureLimits(this IApplicationBuilder app) =>
        app.UseMiddleware<AuthFailureLimitMiddleware>();

    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) =>
        app.UseMiddleware<RateLimitMiddleware>();

    // Limits every endpoint of a group by the policy named like the endpoint (WithName), so a new endpoint gets its
    // limit from RatePolicies and configuration without touching the route.
    public static TBuilder WithRateLimits<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<RateLimitPolicyMetadata>().Any()) return;
            var name = endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName
                ?? throw new InvalidOperationException($"{endpoint.DisplayName} needs WithName(...) to pick its rate-limit policy");
            endpoint.Metadata.Add(new RateLimitPolicyMetadata(name));
        });
        return builder;
    }

    private static string? RedisUrl(IServiceProvider sp) => Cluster.ClusterRedis.UrlIn(sp.GetRequiredService<IConfiguration>());

    private sealed class RateLimitStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<IRateLimitStore>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class RateLimitRedisHealthCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (RedisUrl(services) is null) return HealthCheckResult.Healthy("not configured: limits are counted in memory");
            var db = await services.GetRequiredService<RateLimitRedis>().DatabaseAsync(TimeSpan.FromSeconds(1));
            if (db is null) return HealthCheckResult.Unhealthy("Redis unreachable: limits are counted on this node only");
            try
            {
                await db.PingAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                return HealthCheckResult.Healthy("Redis reachable");
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"Redis unreachable: {e.GetType().Name}");
            }
        }
    }
}
