namespace SupportTicket.Server.Idempotency;

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
                var expired = await scope.ServiceProvider.GetRequiredService<IdempotencyKeys>().ExpireAsync(stoppingToken);
                if (expired > 0) logger.LogDebug("Expired {Count} idempotency keys", expired);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Expiring idempotency keys failed; will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
