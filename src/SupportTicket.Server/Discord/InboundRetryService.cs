using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

// Retries recorded Discord messages whose relay failed, and agents' notices that could not be sent, oldest first, on
// the leader. Each row in its own scope; one bad row is logged and the loop goes on.
public sealed class InboundRetryService(
    IServiceScopeFactory scopes, ILeaderLease lease, DiscordBotState state, TimeProvider clock, IOptions<DiscordBotOptions> options,
    ILogger<InboundRetryService> logger) : BackgroundService
{
    private const int Batch = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lease.WaitForLeadershipAsync(stoppingToken);
        await state.Ready.WaitAsync(stoppingToken);
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(options.Value.RetryBaseMs, 50, 1000));
        while (!stoppingToken.IsCancellationRequested && !state.Unauthorized)
        {
            try
            {
                await RetryDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Retrying Discord messages failed");
            }
            await Task.Delay(poll, clock, stoppingToken);
        }
    }

    private async Task RetryDueAsync(CancellationToken ct)
    {
        List<InboundMessage> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            due = await db.InboundMessages
                .Where(x => x.NextAttemptAt <= now && (x.State == InboundStates.Pending
                    || (!x.NoticeSent && (x.State == InboundStates.Refused || x.State == InboundStates.Failed))))
                .OrderBy(x => x.NextAttemptAt).Take(Batch).ToListAsync(ct);
        }
        foreach (var row in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<InboundDelivery>().DeliverAsync(row, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Retrying Discord message {DiscordMessageId} failed", row.DiscordMessageId);
            }
        }
    }
}
