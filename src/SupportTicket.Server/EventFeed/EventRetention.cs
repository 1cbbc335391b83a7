using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.EventFeed;

/// <summary>
/// Deletes events (and webhook delivery attempts) older than <see cref="EventFeedOptions.RetentionDays"/>, at start and then hourly, in slices so a
/// big backlog never holds a long lock. Runs on the lease holder only (one node of a cluster; a single node always
/// holds it), so nodes do not contend for the same rows.
/// </summary>
public sealed class EventRetention(
    IServiceScopeFactory scopes, ILeaderLease lease, IOptions<EventFeedOptions> options, TimeProvider clock, ILogger<EventRetention> logger)
    : BackgroundService
{
    private const int Slice = 5000;
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = await lease.WaitForLeadershipAsync(stoppingToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held);
            try
            {
                while (true)
                {
                    await RunOnceAsync(leading.Token);
                    await Task.Delay(Every, clock, leading.Token);
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the lease moved on: the new holder runs it
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var deleted = await DeleteExpiredAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct);
            if (deleted > 0) logger.LogInformation("Event retention deleted {Count} event(s) older than {Days} days", deleted, options.Value.RetentionDays);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Event retention failed; trying again in an hour");
        }
    }

    /// <summary>Deletes what has expired by now; returns how many rows went.</summary>
    public async Task<int> DeleteExpiredAsync(AppDbContext db, CancellationToken ct)
    {
        var before = clock.GetUtcNow().ToUnixTimeSeconds() - options.Value.RetentionDays * 86400L;
        var total = 0;
        while (true)
        {
            var ids = db.Events.Where(e => e.Created < before).OrderBy(e => e.Id).Select(e => e.Id).Take(Slice);
            var deleted = await db.Events.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
            total += deleted;
            if (deleted < Slice) break;
        }
        // The webhook delivery log goes with the events it describes.
        await db.WebhookDeliveries.Where(d => d.AttemptedAt < before * 1000).ExecuteDeleteAsync(ct);
        return total;
    }
}
