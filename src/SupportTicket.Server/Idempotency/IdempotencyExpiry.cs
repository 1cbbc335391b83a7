using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

/// <summary>Frees Idempotency-Keys older than the 24 h window, so a client may use them again.</summary>
internal sealed class IdempotencyExpiry(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var cutoff = clock.GetUtcNow().ToUnixTimeSeconds() - (long)TicketService.IdempotencyWindow.TotalSeconds;
                var tickets = await db.Tickets.Where(t => t.IdempotencyKey != null && t.CreatedAt < cutoff)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.IdempotencyKey, (string?)null), stoppingToken);
                var messages = await db.Messages.Where(m => m.IdempotencyKey != null && m.CreatedAt < cutoff)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.IdempotencyKey, (string?)null), stoppingToken);
                if (tickets + messages > 0) logger.LogDebug("Expired {Count} idempotency keys", tickets + messages);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Expiring idempotency keys failed; will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
