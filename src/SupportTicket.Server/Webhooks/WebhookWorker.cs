using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Webhooks;

/// <summary>
/// Delivers to one endpoint, on its own loop so a slow or dead endpoint delays nobody else: queues the new events of
/// the feed after the endpoint's cursor (queue rows and cursor in one transaction), then drains each ticket's queue
/// strictly in order (a failing event holds back its ticket's later ones), tickets in parallel. An attempt is counted
/// and its retry time set before the request goes out, so a node killed mid-delivery retries the same row (same
/// event id, same body) after a restart.
/// Fenced like the Discord outbox (#24): every claim, acknowledgement and cursor move names the lease epoch this
/// worker's term began with, in the same statement, so a node that lost the lease without noticing (paused past its
/// lease) changes nothing: its claims find no row, so it sends nothing new, and its late 2xx does not delete the row,
/// which the new holder then sends again with the same ST-Event-Id (at least once, never lost).
/// </summary>
public sealed class WebhookWorker(
    IServiceScopeFactory scopes, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger logger, long? epoch = null)
{
    private const int HeadsPerRound = 200;
    private const int RowsPerTicket = 50;
    private readonly WebhookOptions _options = options.Value;

    public async Task RunAsync(string endpointId, CancellationToken ct)
    {
        var poll = TimeSpan.FromMilliseconds(_options.PollMs);
        while (!ct.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                while (await FillAsync(endpointId, ct)) busy = true;
                busy |= await DeliverAsync(endpointId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Webhook round for endpoint {EndpointId} failed; trying again shortly", endpointId);
            }
            if (!busy) await Task.Delay(poll, clock, ct);
        }
    }

    /// <summary>Queues one page of new events; true when there may be more.</summary>
    private async Task<bool> FillAsync(string endpointId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null) return false;
        var (page, more) = await EventFeedQuery.PageAsync(db, new EventCursor(endpoint.CursorXid, endpoint.CursorId), 500, null, null, ct);
        if (page.Count == 0) return false;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Moved only from where it was read: another node briefly believing it leads cannot queue a page twice.
        var last = page[^1];
        var moved = await Fenced(db, db.WebhookEndpoints)
            .Where(e => e.Id == endpointId && e.CursorXid == endpoint.CursorXid && e.CursorId == endpoint.CursorId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.CursorXid, last.Xid).SetProperty(e => e.CursorId, last.Id), ct);
        if (moved != 1) return false;
        foreach (var e in page.Where(e => endpoint.Wants(e.Type)))
            db.WebhookQueue.Add(new WebhookQueueRow { EndpointId = endpointId, EventRowId = e.Id, OrderKey = e.TicketId, NextAttemptAt = now, EnqueuedAt = now });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return more;
    }

    /// <summary>One pass over the tickets whose oldest waiting event is due; true when any was.</summary>
    private async Task<bool> DeliverAsync(string endpointId, CancellationToken ct)
    {
        List<WebhookQueueRow> heads;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            heads = await db.WebhookQueue
                .Where(q => q.EndpointId == endpointId && q.NextAttemptAt <= now
                    && !db.WebhookQueue.Any(p => p.EndpointId == endpointId && p.OrderKey == q.OrderKey && p.Id < q.Id))
                .OrderBy(q => q.NextAttemptAt).Take(HeadsPerRound).ToListAsync(ct);
        }
        if (heads.Count == 0) return false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await Parallel.ForEachAsync(heads, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = stop.Token },
                async (head, token) => await DrainTicketAsync(endpointId, head.OrderKey, stop, token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return false; // disabled (410), deleted, or fenced mid-round: the dispatcher stops this loop, or the next poll retries
        }
        return true;
    }

    private async Task DrainTicketAsync(string endpointId, string orderKey, CancellationTokenSource stop, CancellationToken ct)
    {
        List<WebhookQueueRow> rows;
        await using (var scope = scopes.CreateAsyncScope())
            rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookQueue
                .Where(q => q.EndpointId == endpointId && q.OrderKey == orderKey).OrderBy(q => q.Id).Take(RowsPerTicket).ToListAsync(ct);
        foreach (var row in rows)
        {
            if (row.NextAttemptAt > clock.GetUtcNow().ToUnixTimeMilliseconds()) return;
            switch (await AttemptAsync(endpointId, row, ct))
            {
                case Next.Continue: continue;
                case Next.StopEndpoint: await stop.CancelAsync(); return;
                default: return;
            }
        }
    }

    private enum Next { Continue, HoldTicket, StopEndpoint }

    private async Task<Next> AttemptAsync(string endpointId, WebhookQueueRow row, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null || !endpoint.Enabled) return Next.StopEndpoint;
        var attempts = row.Attempts + 1;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var retryAt = now + (long)WebhookBackoff.Delay(attempts, _options.RetryBaseMs).TotalMilliseconds;
        // The claim: only from the attempt count read, and only while this term's epoch holds the lease.
        if (await Row(db, row.Id).Where(q => q.Attempts == row.Attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Attempts, attempts).SetProperty(q => q.NextAttemptAt, retryAt), ct) == 0)
            return Next.StopEndpoint; // fenced (or the row is gone): end the round and wait a poll, not spin
        if (row.PingEventId is { } pingId) return await PingAsync(db, endpoint, row, pingId, now, ct);
        var e = await db.Events.FirstOrDefaultAsync(x => x.Id == row.EventRowId, ct);
        if (e is null) // past Events:RetentionDays: nothing left to send
        {
            await Row(db, row.Id).ExecuteDeleteAsync(CancellationToken.None);
            return Next.Continue;
        }
        var outcome = await sender.SendAsync(endpoint, e.EventId, EventBody.Render(e), ct);
        var (result, next) = await SettleAsync(db, endpoint, row, outcome, now);
        await LogAsync(db, endpointId, e.EventId, e.Type, e.Id, now, outcome, result);
        return next;
    }

    /// <summary>A ping is sent once, not retried, and holds nothing back.</summary>
    private async Task<Next> PingAsync(AppDbContext db, WebhookEndpoint endpoint, WebhookQueueRow row, string pingId, long now, CancellationToken ct)
    {
        var outcome = await sender.SendAsync(endpoint, pingId, Encoding.UTF8.GetBytes(row.PingBody ?? ""), ct);
        await Row(db, row.Id).ExecuteDeleteAsync(CancellationToken.None);
        await LogAsync(db, endpoint.Id, pingId, EventTypes.Ping, null, now, outcome, outcome.Success ? WebhookResults.Success : WebhookResults.Failed);
        return Next.Continue;
    }

    private static async Task LogAsync(AppDbContext db, string endpointId, string eventId, string type, long? rowId, long now, AttemptOutcome outcome, string result)
    {
        Metrics.ServerMetrics.WebhookAttempt(result, outcome.DurationMs);
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            EndpointId = endpointId, EventId = eventId, EventType = type, EventRowId = rowId, AttemptedAt = now,
            StatusCode = outcome.StatusCode, DurationMs = outcome.DurationMs, Error = outcome.Error, Result = result,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>What the outcome does to the queue row and the endpoint.</summary>
    private async Task<(string Result, Next Next)> SettleAsync(AppDbContext db, WebhookEndpoint endpoint, WebhookQueueRow row, AttemptOutcome outcome, long now)
    {
        var none = CancellationToken.None; // settle what was sent even while shutting down
        if (outcome.Success)
        {
            if (await Row(db, row.Id).ExecuteDeleteAsync(none) == 0)
                return (WebhookResults.Success, Next.HoldTicket); // a stale term's ack: the row stays for the holder
            if (endpoint.FailingSince is not null)
                await db.WebhookEndpoints.Where(x => x.Id == endpoint.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, (long?)null), none);
            return (WebhookResults.Success, Next.Continue);
        }
        if (outcome.Gone)
        {
            logger.LogWarning("Webhook endpoint {EndpointId} answered 410 Gone: disabled", endpoint.Id);
            var reason = $"410 Gone at {DateTimeOffset.FromUnixTimeMilliseconds(now):O}";
            await Fenced(db, db.WebhookEndpoints).Where(x => x.Id == endpoint.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledReason, reason), none);
            return (WebhookResults.Disabled, Next.StopEndpoint);
        }
        var delay = outcome.RetryAfter ?? WebhookBackoff.Delay(row.Attempts + 1, _options.RetryBaseMs);
        var at = now + (long)delay.TotalMilliseconds;
        if (at > row.EnqueuedAt + (long)TimeSpan.FromHours(_options.MaxRetryHours).TotalMilliseconds)
        {
            logger.LogWarning("Webhook endpoint {EndpointId}: gave up on an event after {Hours} h of retries; it stays in the feed", endpoint.Id, _options.MaxRetryHours);
            if (await Row(db, row.Id).ExecuteDeleteAsync(none) == 0) return (WebhookResults.GaveUp, Next.HoldTicket);
            await db.WebhookEndpoints.Where(x => x.Id == endpoint.Id && x.FailingSince == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, now / 1000), none);
            return (WebhookResults.GaveUp, Next.Continue);
        }
        await Row(db, row.Id).ExecuteUpdateAsync(s => s.SetProperty(q => q.NextAttemptAt, at), none);
        return (WebhookResults.Retrying, Next.HoldTicket);
    }

    private IQueryable<WebhookQueueRow> Row(AppDbContext db, long id) => Fenced(db, db.WebhookQueue).Where(q => q.Id == id);

    /// <summary>The rows, as long as the lease epoch is still this term's (no check on a single node).</summary>
    private IQueryable<T> Fenced<T>(AppDbContext db, IQueryable<T> rows) => epoch is { } e
        ? rows.Where(_ => db.LeaderLease.Any(l => l.Name == LeaderLeaseRow.Discord && l.Epoch == e))
        : rows;
}

public static class WebhookBackoff
{
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    /// <summary>base × 2^(attempts−1), at most an hour, then ±20 % jitter so a recovering receiver is not hit in waves.</summary>
    public static TimeSpan Delay(int attempts, int baseMs)
    {
        var ms = Math.Min(baseMs * Math.Pow(2, Math.Min(attempts - 1, 30)), Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
