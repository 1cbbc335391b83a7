using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Lifecycle;

public enum TimerKind { SlaFirstResponse, SlaNextResponse, AutoCloseWarning, AutoClose, CloseRequest }

/// <summary>One due timer: the ticket and the due time the scan read, which the action claims (WHERE col = @due).</summary>
public sealed record DueTimer(string TicketId, long Due);

/// <summary>
/// The lifecycle timers, on the lease holder only (<see cref="ILeaderLease"/>; a single node always holds it). Each
/// round reads the due rows of every kind through its index, a page at a time, and acts on each in its own small
/// transaction (<see cref="TimerActions"/>), then sleeps on <see cref="TimeProvider"/> until the earliest future due
/// time, at most Lifecycle:ScanSeconds. Acting claims the timer with a conditional update of the due time it read,
/// so a round repeated after a restart or by a new leader finds nothing left to do.
/// </summary>
internal sealed class TimerService(
    IServiceScopeFactory scopes, ILeaderLease lease, TimeProvider clock, IOptions<LifecycleOptions> options, ILogger<TimerService> logger)
    : BackgroundService
{
    private const int Page = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = await lease.WaitForLeadershipAsync(stoppingToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held);
            try
            {
                await LeadAsync(leading.Token);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                logger.LogInformation("Lease lost: lifecycle timers stop on this node");
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Never let the host stop over timers: they are durable and wait for the next try.
                logger.LogWarning(e, "Lifecycle timers stopped; starting again shortly");
                await Task.Delay(TimeSpan.FromSeconds(options.Value.ScanSeconds), clock, stoppingToken);
            }
        }
    }

    private async Task LeadAsync(CancellationToken ct)
    {
        var longest = TimeSpan.FromSeconds(options.Value.ScanSeconds);
        while (true)
        {
            long? next = null;
            try
            {
                next = await RoundAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Lifecycle timers: a round failed; trying again shortly");
            }
            var now = clock.GetUtcNow();
            var wait = next is { } due ? DateTimeOffset.FromUnixTimeSeconds(due) - now : longest;
            await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > longest ? longest : wait, clock, ct);
        }
    }

    /// <summary>Acts on everything due now; returns the earliest due time left (or null).</summary>
    internal async Task<long?> RoundAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var kind in Enum.GetValues<TimerKind>())
        {
            while (true)
            {
                List<DueTimer> due;
                await using (var scope = scopes.CreateAsyncScope())
                    due = await Due(scope.ServiceProvider.GetRequiredService<AppDbContext>(), kind, now).Take(Page).ToListAsync(ct);
                var failed = false;
                foreach (var timer in due)
                {
                    try
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        await scope.ServiceProvider.GetRequiredService<TimerActions>().FireAsync(kind, timer, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "Lifecycle timer {Kind} of ticket {TicketId} failed; it stays due", kind, timer.TicketId);
                        failed = true;
                    }
                }
                // A failing timer stays due: stop this kind for the round rather than read it again at once.
                if (due.Count < Page || failed) break;
            }
        }
        await using var last = scopes.CreateAsyncScope();
        var db = last.ServiceProvider.GetRequiredService<AppDbContext>();
        long? earliest = null;
        foreach (var kind in Enum.GetValues<TimerKind>())
            if (await Due(db, kind, long.MaxValue).Select(d => (long?)d.Due).FirstOrDefaultAsync(ct) is { } d && d > now && (earliest is null || d < earliest))
                earliest = d;
        return earliest;
    }

    /// <summary>The due rows of one kind, earliest first, through that column's index.</summary>
    private static IQueryable<DueTimer> Due(AppDbContext db, TimerKind kind, long now) => kind switch
    {
        TimerKind.SlaFirstResponse => db.Tickets.Where(t => t.SlaFirstResponseDueAt <= now).OrderBy(t => t.SlaFirstResponseDueAt)
            .Select(t => new DueTimer(t.Id, t.SlaFirstResponseDueAt!.Value)),
        TimerKind.SlaNextResponse => db.Tickets.Where(t => t.SlaNextResponseDueAt <= now).OrderBy(t => t.SlaNextResponseDueAt)
            .Select(t => new DueTimer(t.Id, t.SlaNextResponseDueAt!.Value)),
        TimerKind.AutoCloseWarning => db.Tickets.Where(t => t.AutoCloseWarnAt <= now).OrderBy(t => t.AutoCloseWarnAt)
            .Select(t => new DueTimer(t.Id, t.AutoCloseWarnAt!.Value)),
        TimerKind.AutoClose => db.Tickets.Where(t => t.AutoCloseAt <= now).OrderBy(t => t.AutoCloseAt)
            .Select(t => new DueTimer(t.Id, t.AutoCloseAt!.Value)),
        _ => db.Tickets.Where(t => t.CloseRequestDueAt <= now).OrderBy(t => t.CloseRequestDueAt)
            .Select(t => new DueTimer(t.Id, t.CloseRequestDueAt!.Value)),
    };
}
