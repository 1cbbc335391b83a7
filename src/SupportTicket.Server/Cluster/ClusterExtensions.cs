using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportTicket.Server.Events;
using SupportTicket.Server.Health;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Realtime;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Cluster;

// Scale-out, switched on by configuration only: REDIS_URL adds the SignalR Redis backplane and the event relay; a
// PostgreSQL DATABASE_URL adds the leader lease. Without them a node works alone, exactly as before.
internal static class ClusterExtensions
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddSingleton<HubDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<HubDrain>());
        services.AddHealthChecks().AddCheck<DrainHealthCheck>("drain", tags: [HealthEndpoints.ReadyTag]);

        if (ClusterRedis.UrlIn(configuration) is { } url)
        {
            // The official backplane: hub sends addressed to a connection, user or group reach it on whichever node
            // holds it. The prefix keeps deployments sharing one Redis apart.
            services.AddSignalR().AddStackExchangeRedis();
            services.AddOptions<RedisOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) =>
            {
                o.Configuration = ClusterRedis.Options(url);
                o.Configuration.BacklogPolicy = BacklogPolicy.Default;
                o.Configuration.ChannelPrefix = RedisChannel.Literal(cluster.Value.ChannelPrefix + ":signalr");
            });
            services.AddSingleton(_ => new ClusterRedis(url));
            services.AddSingleton<RedisEventRelay>();
            services.AddSingleton<ITicketEventSubscriber>(sp => sp.GetRequiredService<RedisEventRelay>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisEventRelay>());
            services.AddHealthChecks().AddCheck<EventRelayHealthCheck>("redis_events", tags: [HealthEndpoints.ReadyTag]);
            services.AddSingleton<RedisConnectionRegistry>();
            services.AddSingleton<IHubConnectionRegistry>(sp => sp.GetRequiredService<RedisConnectionRegistry>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisConnectionRegistry>());
        }
        services.TryAddSingleton<IHubConnectionRegistry, NodeOnlyConnectionRegistry>();

        if (DatabaseTarget.ProviderIn(configuration) == DatabaseProvider.Postgres)
        {
            services.AddSingleton<PostgresLeaderLease>();
            services.Replace(ServiceDescriptor.Singleton<ILeaderLease>(sp => sp.GetRequiredService<PostgresLeaderLease>()));
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLeaderLease>());
        }
        else
        {
            services.TryAddSingleton<ILeaderLease, SingleNodeLease>();
        }
        services.AddHealthChecks().AddCheck<LeaderHealthCheck>("leader", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    private sealed class EventRelayHealthCheck(ClusterRedis redis, RedisEventRelay relay) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(!relay.Subscribed ? HealthCheckResult.Unhealthy("starting: not yet subscribed to the other nodes' events")
                : redis.IsConnected
                ? HealthCheckResult.Healthy($"Redis reachable: events relayed to other nodes ({relay.Published} sent, {relay.Received} received)")
                : HealthCheckResult.Unhealthy("Redis unreachable: events reach this node's connections only until it is back; clients catch up by seq"));
    }

    private sealed class LeaderHealthCheck(ILeaderLease lease, IOptions<ClusterOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var node = options.Value.Node;
            var holder = lease is PostgresLeaderLease cluster ? cluster.Holder : node;
            var text = lease.IsLeader ? $"leader: {node} (this node)" : holder is null ? $"leader: none seen yet (this node: {node})" : $"leader: {holder} (this node: {node})";
            return Task.FromResult(HealthCheckResult.Healthy(text));
        }
    }
}
