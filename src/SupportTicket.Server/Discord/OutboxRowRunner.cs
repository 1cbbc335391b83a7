using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Outbox;

namespace SupportTicket.Server.Discord;

// Applies one outbox row: claims it, runs TicketMirror, acknowledges (deletes) it, or records the failure. Every one of
// those statements names the lease epoch the sender drains under, so a node that lost the lease (a takeover while it
// was paused) changes nothing: its claim finds no row and it stops.
public sealed class OutboxRowRunner(
    IServiceScopeFactory scopes, DiscordBotState state, IOptions<DiscordBotOptions> options, TimeProvider clock, ILogger<OutboxRowRunner> logger)
{
    private readonly DiscordBotOptions _options = options.Value;

    public async Task<bool> ApplyAsync(OutboxRow row, long? epoch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Counted before Discord is called: a crash or shutdown in the middle of a call is an ambiguous failure too,
        // and the next attempt must know to look for what the interrupted one may have posted.
        if (await Fenced(db, row.Id, epoch).ExecuteUpdateAsync(s => s.SetProperty(o => o.Attempts, row.Attempts + 1), ct) == 0)
            return false; // discarded meanwhile, or another node leads now
        try
        {
            await scope.ServiceProvider.GetRequiredService<TicketMirror>().ApplyAsync(row, ct);
            return await Fenced(db, row.Id, epoch).ExecuteDeleteAsync(ct) == 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (NotLeaderException)
        {
            return false;
        }
        catch (Exception e)
        {
            await FailAsync(db, row, epoch, e);
            return false;
        }
    }

    public static IQueryable<OutboxRow> Fenced(AppDbContext db, long id, long? epoch) => epoch is { } e
        ? db.Outbox.Where(o => o.Id == id && db.LeaderLease.Any(l => l.Name == LeaderLeaseRow.Discord && l.Epoch == e))
        : db.Outbox.Where(o => o.Id == id);

    private async Task FailAsync(AppDbContext db, OutboxRow row, long? epoch, Exception e)
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
                return;
            case OutboxVerdict.Park:
                if (await Fenced(db, row.Id, epoch).ExecuteUpdateAsync(s => s
                        .SetProperty(o => o.Attempts, attempts).SetProperty(o => o.ParkedAt, now).SetProperty(o => o.LastError, error), CancellationToken.None) == 1)
                    logger.LogError("Discord outbox row {RowId} ({Kind}) of ticket {TicketId} is parked; the ticket's later changes wait behind it " +
                        "until an operator retries or discards it (POST /api/v1/admin/outbox/{RowId}/retry or /discard): {Error}",
                        row.Id, row.Kind, row.TicketId, row.Id, error);
                return;
            default:
                logger.LogInformation("Outbox row {RowId} ({Kind}) of ticket {TicketId} failed (attempt {Attempts}), retrying in {Delay}: {Error}",
                    row.Id, row.Kind, row.TicketId, attempts, delay, error);
                var at = now + (long)delay.TotalMilliseconds;
                await Fenced(db, row.Id, epoch).ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.Attempts, attempts).SetProperty(o => o.NextAttemptAt, at).SetProperty(o => o.LastError, error), CancellationToken.None);
                return;
        }
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length > 1000 ? text[..1000] : text;
    }
}
