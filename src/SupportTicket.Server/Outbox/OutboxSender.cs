using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Metrics;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Outbox;

/// <summary>
/// Drains the outbox into Discord on the leader node: the rows of one ticket strictly in order (a failed row holds
/// back the ones after it), different tickets in parallel. Runs apart from every request, so a Discord outage only
/// delays mirroring.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes, OutboxWriter outbox, ILeaderLease lease, DiscordBotState state,
    IOptions<DiscordBotOptions> options, TimeProvider clock, ILogger<OutboxSender> logger) : BackgroundService
{
    private const int TicketsPerRound = 200;
    private const int RowsPerTicket = 100;
    private readonly DiscordBotOptions _options = options.Value;
    private long _counted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lease.WaitForLeadershipAsync(stoppingToken);
        await state.Ready.WaitAsync(stoppingToken);
        var poll = TimeSpan.FromMilliseconds(_options.OutboxPollMs);
        while (!stoppingToken.IsCancellationRequested && !state.Unauthorized)
        {
            TimeSpan wait;
            try
            {
                wait = await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Outbox round failed; trying again shortly");
                wait = poll;
            }
            if (wait > poll) wait = poll;
            if (wait > TimeSpan.Zero) await outbox.WaitAsync(wait, stoppingToken);
        }
    }

    /// <summary>
    /// One pass: the tickets whose oldest waiting row is due, each drained in order. Looking at each ticket's head
    /// row (not at the oldest rows overall) keeps one ticket with a long backlog from starving the others.
    /// Returns how long until the next head row is due.
    /// </summary>
    private async Task<TimeSpan> RoundAsync(CancellationToken ct)
    {
        List<OutboxRow> heads;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await CountAsync(db, ct);
            heads = await db.Outbox
                .Where(o => o.ParkedAt == null && !db.Outbox.Any(p => p.TicketId == o.TicketId && p.ParkedAt == null && p.Id < o.Id))
                .OrderBy(o => o.NextAttemptAt).Take(TicketsPerRound).ToListAsync(ct);
        }
        if (heads.Count == 0) return TimeSpan.MaxValue;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var due = heads.Where(h => h.NextAttemptAt <= now).ToList();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = ct },
            async (head, token) => await DrainTicketAsync(head.TicketId, token));
        return due.Count > 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, heads.Min(h => h.NextAttemptAt) - now));
    }

    /// <summary>Depth, parked rows and the oldest row for /metrics, at most once a second.</summary>
    private async Task CountAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _counted < 1000) return;
        _counted = now;
        var depth = await db.Outbox.CountAsync(o => o.ParkedAt == null, ct);
        var parked = await db.Outbox.CountAsync(o => o.ParkedAt != null, ct);
        var oldest = await db.Outbox.Where(o => o.ParkedAt == null).OrderBy(o => o.Id).Select(o => (long?)o.CreatedAt).FirstOrDefaultAsync(ct);
        ServerMetrics.Outbox(depth, parked, oldest);
    }

    /// <summary>A ticket's waiting rows in order, until one fails (its successors wait for it).</summary>
    private async Task DrainTicketAsync(string ticketId, CancellationToken ct)
    {
        List<OutboxRow> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Outbox
                .Where(o => o.TicketId == ticketId && o.ParkedAt == null).OrderBy(o => o.Id).Take(RowsPerTicket).ToListAsync(ct);
        }
        foreach (var row in rows)
        {
            if (state.Unauthorized || !await ApplyAsync(row, ct)) return;
        }
    }

    /// <summary>True when the row is done (deleted) or parked, so the ticket's next row may go.</summary>
    private async Task<bool> ApplyAsync(OutboxRow row, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        try
        {
            // Counted before Discord is called: a crash or shutdown in the middle of a call is an ambiguous failure
            // too, and the next attempt must know to look for what the interrupted one may have posted.
            await db.Outbox.Where(o => o.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Attempts, row.Attempts + 1), ct);
            await scope.ServiceProvider.GetRequiredService<TicketMirror>().ApplyAsync(row, ct);
            await db.Outbox.Where(o => o.Id == row.Id).ExecuteDeleteAsync(ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var attempts = row.Attempts + 1;
            var (verdict, delay) = OutboxFailure.Classify(e, attempts,
                TimeSpan.FromMilliseconds(_options.RetryBaseMs), TimeSpan.FromMilliseconds(_options.RetryMaxMs));
            var error = Describe(e);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            switch (verdict)
            {
                case OutboxVerdict.Stop:
                    if (state.MarkUnauthorized())
                        logger.LogCritical("Discord rejected the bot token (401): all Discord traffic is stopped. Set a valid DISCORD_BOT_TOKEN and restart");
                    return false;
                case OutboxVerdict.Park:
                    logger.LogWarning("Outbox row {RowId} ({Kind}) of ticket {TicketId} parked: {Error}", row.Id, row.Kind, row.TicketId, error);
                    await db.Outbox.Where(o => o.Id == row.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(o => o.Attempts, attempts).SetProperty(o => o.ParkedAt, now).SetProperty(o => o.LastError, error), CancellationToken.None);
                    return true;
                default:
                    logger.LogInformation("Outbox row {RowId} ({Kind}) of ticket {TicketId} failed (attempt {Attempts}), retrying in {Delay}: {Error}",
                        row.Id, row.Kind, row.TicketId, attempts, delay, error);
                    var at = now + (long)delay.TotalMilliseconds;
                    await db.Outbox.Where(o => o.Id == row.Id).ExecuteUpdateAsync(s => s
                        .SetProperty(o => o.Attempts, attempts).SetProperty(o => o.NextAttemptAt, at).SetProperty(o => o.LastError, error), CancellationToken.None);
                    return false;
            }
        }
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length > 1000 ? text[..1000] : text;
    }
}
