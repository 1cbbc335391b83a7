using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Webhooks;

/// <summary>
/// Runs delivery on the lease holder only (the cluster's <see cref="ILeaderLease"/>; a single node always holds it):
/// writes the configured endpoints into the table, then keeps one <see cref="WebhookWorker"/> loop per enabled
/// endpoint, starting and stopping them as endpoints are added, disabled or deleted. Losing the lease stops them all;
/// what a node does after losing it without noticing is fenced by the term's epoch (<see cref="WebhookWorker"/>).
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, ILeaderLease lease, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = await lease.WaitForLeadershipAsync(stoppingToken);
            var epoch = lease.FencingToken;
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held);
            try
            {
                await LeadAsync(epoch, leading.Token);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                logger.LogInformation("Lease lost: webhook delivery stops on this node");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failure here must not stop the host (a BackgroundService's exception does): try again shortly.
                logger.LogError(e, "Webhook delivery failed to start; trying again shortly");
                await Task.Delay(Refresh, clock, stoppingToken);
            }
        }
    }

    private async Task LeadAsync(long? epoch, CancellationToken ct)
    {
        var workers = new Dictionary<string, (Task Task, CancellationTokenSource Stop)>();
        var worker = new WebhookWorker(scopes, sender, options, clock, logger, epoch);
        try
        {
            while (!await TrySyncConfigurationAsync(ct)) await Task.Delay(Refresh, clock, ct);
            while (true)
            {
                HashSet<string> enabled;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    var all = await db.WebhookEndpoints.Select(e => new { e.Id, e.Enabled }).ToListAsync(ct);
                    enabled = all.Where(e => e.Enabled).Select(e => e.Id).ToHashSet();
                    var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                    // A queue's lowest id is its oldest row (rows are queued in id order): one index probe per endpoint, not a scan.
                    var oldest = new List<(string, double)>();
                    foreach (var id in all.Select(e => e.Id))
                        if (await db.WebhookQueue.Where(q => q.EndpointId == id).OrderBy(q => q.Id).Select(q => (long?)q.EnqueuedAt).FirstOrDefaultAsync(ct) is { } since)
                            oldest.Add((id, (now - since) / 1000.0));
                    Metrics.ServerMetrics.WebhookOldest(oldest);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Cannot read the webhook endpoints; trying again shortly");
                    enabled = workers.Keys.ToHashSet();
                }
                foreach (var gone in workers.Keys.Where(id => !enabled.Contains(id) || workers[id].Task.IsCompleted).ToList())
                {
                    await workers[gone].Stop.CancelAsync();
                    workers[gone].Stop.Dispose();
                    workers.Remove(gone);
                }
                foreach (var id in enabled.Where(id => !workers.ContainsKey(id)))
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    workers[id] = (Task.Run(() => worker.RunAsync(id, stop.Token), CancellationToken.None), stop);
                }
                await Task.Delay(Refresh, clock, ct);
            }
        }
        finally
        {
            foreach (var (task, stop) in workers.Values)
            {
                await stop.CancelAsync();
                try { await task; } catch (OperationCanceledException) { }
                stop.Dispose();
            }
        }
    }

    private async Task<bool> TrySyncConfigurationAsync(CancellationToken ct)
    {
        try
        {
            await SyncConfigurationAsync(ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Cannot write the configured webhook endpoints; trying again shortly");
            return false;
        }
    }

    /// <summary>Webhooks:Endpoints:N becomes endpoint <c>whk_config_N</c>: created at the feed's end, updated, or removed.</summary>
    private async Task SyncConfigurationAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var configured = options.Value.Endpoints;
        var ids = Enumerable.Range(0, configured.Count).Select(ConfigId).ToList();
        var existing = await db.WebhookEndpoints.AsTracking().Where(e => e.Source == WebhookSources.Config).ToListAsync(ct);
        foreach (var stale in existing.Where(e => !ids.Contains(e.Id)))
        {
            db.WebhookEndpoints.Remove(stale);
            await db.WebhookQueue.Where(q => q.EndpointId == stale.Id).ExecuteDeleteAsync(ct);
        }
        for (var i = 0; i < configured.Count; i++)
        {
            var c = configured[i];
            var events = string.Join(',', WebhookOptions.Normalize(c.Events));
            if (existing.FirstOrDefault(e => e.Id == ids[i]) is { } row)
            {
                if (row.Url != c.Url || row.Secret != c.Secret || row.Events != events) (row.Url, row.Secret, row.Events, row.Enabled) = (c.Url!, c.Secret!, events, true);
                continue;
            }
            var end = await EventFeed.EventFeedQuery.EndAsync(db, ct);
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                Id = ids[i], Url = c.Url!, Secret = c.Secret!, Events = events, Source = WebhookSources.Config,
                CreatedAt = clock.GetUtcNow().ToUnixTimeSeconds(), CursorXid = end.Xid, CursorId = end.Id,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    public static string ConfigId(int index) => $"whk_config_{index}";
}
