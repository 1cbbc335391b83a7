using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.Cluster;

/// <summary>
/// Graceful shutdown for rolling deploys. When the node is told to stop (SIGTERM), /health/ready turns not-ready at
/// once so the balancer stops sending new work; Kestrel stops accepting and lets requests in flight (commits) finish;
/// one second later every hub connection is closed, which the SignalR clients' automatic reconnect treats as a lost
/// connection: they reconnect through the balancer to another node and catch up by seq.
/// </summary>
internal sealed class HubDrain(IHostApplicationLifetime lifetime, RealtimeConnections connections, ILogger<HubDrain> logger) : IHostedService
{
    private volatile bool _draining;

    /// <summary>True from the moment this node was told to stop (per host: tests run several in one process).</summary>
    public bool Draining => _draining;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() =>
        {
            _draining = true;
            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                var all = connections.All();
                logger.LogInformation("Shutting down: closing {Count} hub connection(s) so their clients reconnect to another node", all.Count);
                foreach (var connection in all) connection.Context.Abort();
            });
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class DrainHealthCheck(HubDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining
            ? HealthCheckResult.Unhealthy("shutting down: finishing requests, hub clients are sent to other nodes")
            : HealthCheckResult.Healthy("accepting work"));
}
