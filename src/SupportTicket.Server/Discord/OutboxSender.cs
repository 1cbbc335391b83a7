using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Metrics;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Outbox;

namespace SupportTicket.Server.Discord;

/// <summary>
/// Drains the outbox into Discord while this node holds the leader lease: the rows of one ticket strictly in order
/// (a row that fails, or is parked, holds back the ones after it), different tickets in parallel. Runs apart from
/// every request, so a Discord outage only delays mirroring. Losing the lease cancels the drain at once; the rows'
/// claims and acknowledgements are fenced by the lease's epoch (<see cref="OutboxRowRunner"/>).
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes, OutboxWriter outbox, OutboxRowRunner runner, ILeaderLease lease, DiscordBotState state,
    IOptions<DiscordBotOptions> options, TimeProvider clock, ILogger<OutboxSender> logger) : BackgroundService
{
    private const int TicketsPerRound = 200;
    private const int RowsPerTicket = 100;
    private readonly DiscordBotOptions _options = options.Value;
    private long _counted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && !state.Unauthorized)
        {
            var term = await lease.WaitForLeadershipAsync(stoppingToken);
            var epoch = lease.FencingToken;
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term);
            try
            {
                await state.Ready.WaitAsync(leading.Token);
                await DrainWhileLeadingAsync(epoch, leading.Token);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Leader lease lost (epoch {Epoch}): the outbox sender stopped draining", epoch);
            }
        }
    }

    private async Task DrainWhileLeadingAsync(long? epoch, CancellationToken ct)
    {
        var poll = TimeSpan.FromMilliseconds(_options.OutboxPollMs);
        while (!ct.IsCancellationRequested && !state.Unauthorized)
        {
            TimeSpan wait;
            try
            {
                wait = await RoundAsync(epoch, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Outbox round failed; trying again shortly");
                wait = poll;
            }
            if (wait > poll) wait = poll;
            if (wait > TimeSpan.Zero) await outbox.WaitAsync(wait, ct);
        }
    }

    /// <summary>
    /// One pass: the tickets whose oldest row is due, each drained in order. A ticket whose oldest row is parked
    /// waits for an operator (retry or discard): its later rows are never posted above it. Looking at each ticket's
    /// head row (not at the oldest rows overall) keeps one ticket with a long backlog from starving the others.
    /// Returns how long until the next head row is due.
    /// </summary>
    private async Task<TimeSpan> RoundAsync(long? epoch, CancellationToken ct)
    {
        List<OutboxRow> heads;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await CountAsync(db, ct);
            heads = await db.Outbox
                .Where(o => o.ParkedAt == null && !db.Outbox.Any(p => p.TicketId == o.TicketId && p.Id < o.Id))
                .OrderBy(o => o.NextAttemptAt).Take(TicketsPerRound).ToListAsync(ct);
        }
        if (heads.Count == 0) return TimeSpan.MaxValue;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = heads.Where(h => h.NextAttemptAt <= now).ToList();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = ct },
            async (head, token) => await DrainTicketAsync(head.TicketId, epoch, token));
        return due.Count > 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, heads.Min(h => h.NextAttemptAt) - now));
    }

    /// <summary>Depth, parked rows and the oldest rows for /metrics, at most once a second.</summary>
    private async Task CountAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _counted < 1000) return;
        _counted = now;
        var depth = await db.Outbox.CountAsync(o => o.ParkedAt == null, ct);
        var parked = await db.Outbox.CountAsync(o => o.ParkedAt != null, ct);
        var oldest = await db.Outbox.Where(o => o.ParkedAt == null).OrderBy(o => o.Id).Select(o => (long?)o.CreatedAt).FirstOrDefaultAsync(ct);
        var oldestParked = await db.Outbox.Where(o => o.ParkedAt != null).OrderBy(o => o.ParkedAt).Select(o => o.ParkedAt).FirstOrDefaultAsync(ct);
        ServerMetrics.Outbox(depth, parked, oldest, oldestParked);
    }

    /// <summary>A ticket's rows in order, until one fails or is parked (its successors wait for it).</summary>
    private async Task DrainTicketAsync(string ticketId, long? epoch, CancellationToken ct)
    {
        List<OutboxRow> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Outbox
                .Where(o => o.TicketId == ticketId).OrderBy(o => o.Id).Take(RowsPerTicket).ToListAsync(ct);
        }
        foreach (var row in rows)
        {
            if (row.ParkedAt is not null || state.Unauthorized || !lease.IsLeader || !await runner.ApplyAsync(row, epoch, ct)) return;
        }
    }
}
