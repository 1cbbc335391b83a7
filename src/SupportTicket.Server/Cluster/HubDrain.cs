using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportTicket.Server.Realtime;

namespace SupportTicket.Server.Cluster;

// Rolling deploys: on SIGTERM /health/ready turns not-ready at once, requests in flight finish, and a second later
// every hub connection is closed; the clients' automatic reconnect lands on another node and catches up by seq.
internal sealed class HubDrain(IHostApplicationLifetime lifetime, RealtimeConnections connections, ILogger<HubDrain> logger) : IHostedService
{
    private volatile bool _draining;

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
