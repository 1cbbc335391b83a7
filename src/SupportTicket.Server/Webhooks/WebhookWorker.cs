using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Webhooks;

/// <summary>
/// Delivers to one endpoint, on its own loop so a slow or dead endpoint delays nobody else: queues the new events of
/// the feed after the endpoint's cursor (queue rows and cursor in one transaction), then delivers in rounds. A round
/// takes up to <see cref="BatchSize"/> of the oldest due rows, claims them all in one statement, sends each ticket's
/// rows strictly in order (a failing event holds back its ticket's later ones), up to Webhooks:Parallelism tickets at
/// once, and settles all outcomes in one transaction (<see cref="WebhookBatch"/>). An attempt is counted and its
/// retry time set before the request goes out, so a node killed mid-delivery retries the same rows (same event ids,
/// same bodies) after a restart.
/// Fenced like the Discord outbox (#24): every claim, acknowledgement and cursor move names the lease epoch this
/// worker's term began with, in the same statement, so a node that lost the lease without noticing (paused past its
/// lease) changes nothing: its claims find no row, so it sends nothing new, and its late 2xx does not delete the rows,
/// which the new holder then sends again with the same ST-Event-Id (at least once, never lost).
/// </summary>
public sealed class WebhookWorker(
    IServiceScopeFactory scopes, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger logger, long? epoch = null)
{
    public const int BatchSize = 500;
    private readonly WebhookOptions _options = options.Value;

    public async Task RunAsync(string endpointId, CancellationToken ct)
    {
        var poll = TimeSpan.FromMilliseconds(_options.PollMs);
        var health = new EndpointHealth();
        while (!ct.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                while (await FillAsync(endpointId, ct)) busy = true;
                busy |= await DeliverAsync(endpointId, health, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Webhook round for endpoint {EndpointId} failed; trying again shortly", endpointId);
            }
            if (!busy) await Task.Delay(poll, clock, ct);
        }
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private WebhookBatch Batch(AsyncServiceScope scope, AppDbContext db, string endpointId) =>
        new(db, scope.ServiceProvider.GetRequiredService<WriteGate>(), endpointId, epoch);

    /// <summary>Queues one page of new events; true when there may be more.</summary>
    private async Task<bool> FillAsync(string endpointId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var batch = Batch(scope, db, endpointId);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null) return false;
        var from = new EventCursor(endpoint.CursorXid, endpoint.CursorId);
        // A page of the feed (EventFeedQuery.PageAsync's order), without the data: the rounds read that.
        var page = await EventFeedQuery.After(db, from).OrderBy(e => e.Xid).ThenBy(e => e.Id).Take(BatchSize + 1)
            .Select(e => new { e.Xid, e.Id, e.Type }).ToListAsync(ct);
        if (page.Count == 0) return false;
        var more = page.Count > BatchSize;
        if (more) page.RemoveAt(BatchSize);
        var wanted = page.Where(e => endpoint.Wants(e.Type)).Select(e => e.Id).ToList();
        // Moved only from where it was read: another node briefly believing it leads cannot queue a page twice.
        return await batch.EnqueueAsync(from, new EventCursor(page[^1].Xid, page[^1].Id), wanted, Now(), ct) && more;
    }

    /// <summary>One round; true when it delivered and more may be due at once.</summary>
    private async Task<bool> DeliverAsync(string endpointId, EndpointHealth health, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var batch = Batch(scope, db, endpointId);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null || !endpoint.Enabled) return false;
        var now = Now();
        var rows = await batch.DueAsync(now, BatchSize, ct);
        // Not claimed: fenced (end the round and wait a poll, not spin).
        if (rows.Count == 0 || !await batch.ClaimAsync(rows, now, _options.RetryBaseMs, ct)) return false;
        var events = await batch.EventsAsync(rows, ct);
        var attempts = new WebhookAttempt?[rows.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tickets = Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].OrderKey).ToList();
        await Parallel.ForEachAsync(tickets, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism },
            async (ticket, _) =>
            {
                foreach (var i in ticket)
                {
                    if (stop.IsCancellationRequested) return;
                    var attempt = attempts[i] = await AttemptAsync(endpoint, rows[i], events, stop.Token);
                    if (attempt.Outcome is { Gone: true }) await stop.CancelAsync(); // disabled: the rest waits unsent
                    if (attempt.Interrupted || (attempt.Outcome is { Success: false } && rows[i].PingEventId is null)) return;
                }
            });
        var settlement = Settle(endpoint, rows, attempts);
        var settled = await batch.SettleAsync(settlement, Now());
        var failedTickets = tickets.Count(t => t.Any(i => attempts[i]?.Outcome is { Success: false, Gone: false }));
        if (settled && await Recovered(health, settlement, failedTickets, batch))
            logger.LogInformation("Webhook endpoint {EndpointId} answers again: its waiting retries are due now", endpointId);
        return settled && !stop.IsCancellationRequested;
    }

    /// <summary>
    /// After a round in which every attempt failed, on at least two tickets, the endpoint counts as down; the first
    /// round with a success after that makes every waiting retry of the endpoint due at once, so a backlog drains at
    /// sending speed instead of trickling in as each ticket's jittered backoff (or Retry-After) runs out. At most
    /// once per <see cref="RecoveryInterval"/>: an event the receiver keeps refusing on its own is retried early at
    /// most that often, and one that fails among successes never marks the endpoint down.
    /// </summary>
    private async Task<bool> Recovered(EndpointHealth health, WebhookBatch.Settlement s, int failedTickets, WebhookBatch batch)
    {
        var now = clock.GetUtcNow();
        if (!s.Succeeded && failedTickets >= 2) health.Down = true;
        if (!s.Succeeded || !health.Down || now - health.LastRecovery < RecoveryInterval) return false;
        health.Down = false;
        health.LastRecovery = now;
        await batch.RetryNowAsync(now.ToUnixTimeMilliseconds());
        return true;
    }

    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromMinutes(1);

    private sealed class EndpointHealth
    {
        public bool Down { get; set; }
        public DateTimeOffset LastRecovery { get; set; } = DateTimeOffset.MinValue;
    }

    private async Task<WebhookAttempt> AttemptAsync(WebhookEndpoint endpoint, WebhookQueueRow row, Dictionary<long, EventRow> events, CancellationToken ct)
    {
        var at = Now();
        try
        {
            if (row.PingEventId is { } pingId)
                return new(pingId, EventTypes.Ping, at, await sender.SendAsync(endpoint, pingId, Encoding.UTF8.GetBytes(row.PingBody ?? ""), ct));
            if (!events.TryGetValue(row.EventRowId, out var e)) return new("", "", at, null); // past Events:RetentionDays
            return new(e.EventId, e.Type, at, await sender.SendAsync(endpoint, e.EventId, EventBody.Render(e), ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new("", "", at, null, Interrupted: true);
        }
    }

    /// <summary>What each outcome does to its row and to the endpoint, and the attempt log.</summary>
    private WebhookBatch.Settlement Settle(WebhookEndpoint endpoint, List<WebhookQueueRow> rows, WebhookAttempt?[] attempts)
    {
        var s = new WebhookBatch.Settlement();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (attempts[i] is not { } a) { s.Unsent.Add(row.Id); continue; }
            if (a.Interrupted) continue; // keeps its claim, like a node killed mid-send: retried after its backoff
            if (a.Outcome is not { } outcome) { s.Done.Add(row.Id); continue; }
            var result = Result(endpoint, row, a, outcome, s);
            Metrics.ServerMetrics.WebhookAttempt(result, outcome.DurationMs);
            s.Log.Add(new WebhookDelivery
            {
                EndpointId = endpoint.Id, EventId = a.EventId, EventType = a.Type, EventRowId = row.PingEventId is null ? row.EventRowId : null,
                AttemptedAt = a.AttemptedAt, StatusCode = outcome.StatusCode, DurationMs = outcome.DurationMs, Error = outcome.Error, Result = result,
            });
        }
        return s;
    }

    private string Result(WebhookEndpoint endpoint, WebhookQueueRow row, WebhookAttempt a, AttemptOutcome outcome, WebhookBatch.Settlement s)
    {
        if (row.PingEventId is not null) // sent once, not retried, holds nothing back
        {
            s.Done.Add(row.Id);
            return outcome.Success ? WebhookResults.Success : WebhookResults.Failed;
        }
        if (outcome.Success)
        {
            s.Done.Add(row.Id);
            s.Succeeded = true;
            return WebhookResults.Success;
        }
        if (outcome.Gone) // the row keeps its claim and waits for the endpoint to be enabled again
        {
            logger.LogWarning("Webhook endpoint {EndpointId} answered 410 Gone: disabled", endpoint.Id);
            s.GoneReason = $"410 Gone at {DateTimeOffset.FromUnixTimeMilliseconds(a.AttemptedAt):O}";
            return WebhookResults.Disabled;
        }
        var next = a.AttemptedAt + (long)(outcome.RetryAfter ?? WebhookBackoff.Delay(row.Attempts + 1, _options.RetryBaseMs)).TotalMilliseconds;
        if (next <= row.EnqueuedAt + (long)TimeSpan.FromHours(_options.MaxRetryHours).TotalMilliseconds)
        {
            s.Retries.Add((row.Id, next));
            return WebhookResults.Retrying;
        }
        logger.LogWarning("Webhook endpoint {EndpointId}: gave up on an event after {Hours} h of retries; it stays in the feed", endpoint.Id, _options.MaxRetryHours);
        s.Done.Add(row.Id);
        s.GaveUp = true;
        return WebhookResults.GaveUp;
    }
}
