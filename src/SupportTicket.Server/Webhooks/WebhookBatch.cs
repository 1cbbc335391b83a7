using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Webhooks;

/// <summary>
/// What one claimed row came to in a round: <see cref="Outcome"/> is null when its event is past retention, or when
/// the round was stopped (shutdown, a 410 elsewhere) before the answer came (<see cref="Interrupted"/>).
/// </summary>
public sealed record WebhookAttempt(string EventId, string Type, long AttemptedAt, AttemptOutcome? Outcome, bool Interrupted = false);

/// <summary>
/// The queue statements of one delivery round of one endpoint, each covering the whole batch: read the due rows,
/// claim them, read their events, settle the outcomes. Every write names the term's lease epoch in the same
/// statement (<see cref="WebhookWorker"/>), and on SQLite enters the process's <see cref="WriteGate"/> like the
/// request path, so the one writer is taken in turn instead of raced for (a lost race sleeps in busy_timeout).
/// </summary>
public sealed class WebhookBatch(AppDbContext db, WriteGate gate, string endpointId, long? epoch)
{
    private const string GateKey = "webhooks";

    /// <summary>
    /// The oldest queued rows (id order) of the tickets none of whose rows waits for a retry: a prefix by id holds each
    /// of its tickets' head, so the rows of a ticket come in order from its head on.
    /// </summary>
    public Task<List<WebhookQueueRow>> DueAsync(long now, int limit, CancellationToken ct)
    {
        var held = db.WebhookQueue.Where(h => h.EndpointId == endpointId && h.NextAttemptAt > now).Select(h => h.OrderKey);
        return db.WebhookQueue.Where(q => q.EndpointId == endpointId && !held.Contains(q.OrderKey))
            .OrderBy(q => q.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>
    /// Counts an attempt on every row and sets its retry time (the backoff of its next attempt), before anything is
    /// sent, from the attempt counts read: all rows or none (false: fenced, or another claimer came first).
    /// </summary>
    public async Task<bool> ClaimAsync(List<WebhookQueueRow> rows, long now, int retryBaseMs, CancellationToken ct)
    {
        using (await EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var claimed = 0;
            foreach (var group in rows.GroupBy(r => r.Attempts))
            {
                var ids = group.Select(r => r.Id).ToList();
                var (read, attempts) = (group.Key, group.Key + 1);
                var retryAt = now + (long)WebhookBackoff.Delay(attempts, retryBaseMs).TotalMilliseconds;
                claimed += await Rows(ids).Where(q => q.Attempts == read)
                    .ExecuteUpdateAsync(s => s.SetProperty(q => q.Attempts, attempts).SetProperty(q => q.NextAttemptAt, retryAt), ct);
            }
            if (claimed != rows.Count) return false; // rolled back: nothing claimed
            await tx.CommitAsync(ct);
            return true;
        }
    }

    public async Task<Dictionary<long, EventRow>> EventsAsync(List<WebhookQueueRow> rows, CancellationToken ct)
    {
        var ids = rows.Where(r => r.PingEventId is null).Select(r => r.EventRowId).ToList();
        return ids.Count == 0 ? [] : await db.Events.Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
    }

    /// <summary>The writes a round's outcomes call for, in one transaction.</summary>
    public sealed class Settlement
    {
        /// <summary>Deleted: acknowledged, given up, pings, events past retention.</summary>
        public List<long> Done { get; } = [];
        public List<(long Id, long At)> Retries { get; } = [];
        /// <summary>Claimed but not sent: behind a failure of their ticket, or the round was stopped.</summary>
        public List<long> Unsent { get; } = [];
        public List<WebhookDelivery> Log { get; } = [];
        public bool Succeeded { get; set; }
        public bool GaveUp { get; set; }
        /// <summary>Set when the endpoint answered 410: it is disabled.</summary>
        public string? GoneReason { get; set; }
    }

    /// <summary>
    /// Applies the round in one transaction: done rows deleted (acknowledged, given up, pings, expired), failed ones
    /// rescheduled, unsent ones (behind a failure of their ticket) given their claim back, the endpoint's state, the
    /// attempt log. False when the acknowledgement was fenced (a stale term: the rows stay for the lease holder).
    /// </summary>
    public async Task<bool> SettleAsync(Settlement s, long now)
    {
        var none = CancellationToken.None; // settle what was sent even while shutting down
        using (await EnterAsync(none))
        {
            await using var tx = await db.Database.BeginTransactionAsync(none);
            var fenced = s.Done.Count > 0 && await Rows(s.Done).ExecuteDeleteAsync(none) == 0;
            foreach (var (id, at) in s.Retries)
                await Rows([id]).ExecuteUpdateAsync(u => u.SetProperty(q => q.NextAttemptAt, at), none);
            if (s.Unsent.Count > 0)
                await Rows(s.Unsent).ExecuteUpdateAsync(u => u.SetProperty(q => q.Attempts, q => q.Attempts - 1).SetProperty(q => q.NextAttemptAt, now), none);
            var endpoint = db.WebhookEndpoints.Where(x => x.Id == endpointId);
            if (s.GoneReason is { } reason)
                await Fenced(endpoint).ExecuteUpdateAsync(u => u.SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledReason, reason), none);
            if (!fenced && s.Succeeded)
                await endpoint.Where(x => x.FailingSince != null).ExecuteUpdateAsync(u => u.SetProperty(x => x.FailingSince, (long?)null), none);
            if (!fenced && s.GaveUp)
                await endpoint.Where(x => x.FailingSince == null).ExecuteUpdateAsync(u => u.SetProperty(x => x.FailingSince, now / 1000), none);
            if (s.Log.Count > 0) await InsertLogAsync(s.Log.OrderBy(d => d.AttemptedAt).ToList());
            await tx.CommitAsync(none);
            return !fenced;
        }
    }

    /// <summary>Makes every waiting retry of the endpoint due now (claims stay fenced; this only moves times earlier).</summary>
    public async Task RetryNowAsync(long now)
    {
        using (await EnterAsync(CancellationToken.None))
            await db.WebhookQueue.Where(q => q.EndpointId == endpointId && q.Attempts > 0 && q.NextAttemptAt > now)
                .ExecuteUpdateAsync(u => u.SetProperty(q => q.NextAttemptAt, now), CancellationToken.None);
    }

    /// <summary>
    /// Queues the events <paramref name="eventIds"/> (feed order) and moves the endpoint's cursor, only from where it
    /// was read. One INSERT … SELECT, as EF's row-by-row inserts were the round's largest cost.
    /// </summary>
    public async Task<bool> EnqueueAsync(EventCursor from, EventCursor to, List<long> eventIds, long now, CancellationToken ct)
    {
        using (await EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var moved = await Fenced(db.WebhookEndpoints)
                .Where(e => e.Id == endpointId && e.CursorXid == from.Xid && e.CursorId == from.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.CursorXid, to.Xid).SetProperty(e => e.CursorId, to.Id), ct);
            if (moved != 1) return false;
            // The ids are numbers written out; the rest are parameters.
            var insert = "INSERT INTO webhook_queue (endpoint_id, event_row_id, order_key, attempts, next_attempt_at, enqueued_at) " +
                $"SELECT {{0}}, id, ticket_id, 0, {{1}}, {{1}} FROM events WHERE id IN ({string.Join(',', eventIds)}) ORDER BY xid, id";
            if (eventIds.Count > 0) await db.Database.ExecuteSqlRawAsync(insert, [endpointId, now], ct);
            await tx.CommitAsync(ct);
            return true;
        }
    }

    /// <summary>The attempt log in one multi-row INSERT: numbers and NULLs written out, strings as parameters.</summary>
    private async Task InsertLogAsync(List<WebhookDelivery> log)
    {
        var sql = new StringBuilder("INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, event_row_id, attempted_at, status_code, duration_ms, error, result) VALUES ");
        var values = new List<object> { endpointId };
        string Param(string value)
        {
            values.Add(value);
            return $"{{{values.Count - 1}}}";
        }
        static string Number(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "NULL";
        foreach (var d in log)
            sql.Append(values.Count > 1 ? ", " : "").Append($"({{0}}, {Param(d.EventId)}, {Param(d.EventType)}, {Number(d.EventRowId)}, {Number(d.AttemptedAt)}, ")
                .Append($"{Number(d.StatusCode)}, {Number(d.DurationMs)}, {(d.Error is null ? "NULL" : Param(d.Error))}, {Param(d.Result)})");
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, CancellationToken.None);
    }

    private async ValueTask<IDisposable?> EnterAsync(CancellationToken ct) =>
        db.Database.IsSqlite() ? await gate.EnterAsync(GateKey, ct) : null;

    private IQueryable<WebhookQueueRow> Rows(List<long> ids) => Fenced(db.WebhookQueue).Where(q => ids.Contains(q.Id));

    /// <summary>The rows, as long as the lease epoch is still this term's (no check on a single node).</summary>
    private IQueryable<T> Fenced<T>(IQueryable<T> rows) => epoch is { } e
        ? rows.Where(_ => db.LeaderLease.Any(l => l.Name == LeaderLeaseRow.Discord && l.Epoch == e))
        : rows;
}
