using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Discord;
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
    private const int BatchSize = 500;
    private readonly DiscordBotOptions _options = options.Value;

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

    /// <summary>One pass over the due rows. Returns how long until the next row is due.</summary>
    private async Task<TimeSpan> RoundAsync(CancellationToken ct)
    {
        List<OutboxRow> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            rows = await db.Outbox.Where(o => o.ParkedAt == null).OrderBy(o => o.Id).Take(BatchSize).ToListAsync(ct);
        }
        if (rows.Count == 0) return TimeSpan.MaxValue;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // A ticket whose oldest row is not due waits as a whole: its later rows must not overtake it.
        var due = rows.GroupBy(r => r.TicketId).Where(g => g.First().NextAttemptAt <= now).ToList();
        var next = rows.GroupBy(r => r.TicketId).Select(g => g.First().NextAttemptAt).Min();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = ct },
            async (group, token) => await DrainTicketAsync(group.ToList(), token));
        return due.Count > 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, next - clock.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    private async Task DrainTicketAsync(List<OutboxRow> rows, CancellationToken ct)
    {
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
