using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Metrics;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Outbox;

namespace SupportTicket.Server.Discord;

// One ticket's rows strictly in order (a failed or parked row holds back the ones after it), tickets in parallel,
// only on the lease holder; claims and acknowledgements are fenced by the lease's epoch (OutboxRowRunner).
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

    // Looking at each ticket's head row (not the oldest rows overall) keeps one ticket with a long backlog from
    // starving the others; a parked head waits for an operator, its later rows are never posted above it.
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
