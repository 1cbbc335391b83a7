using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Auth.Revocations;

// Loads the active revocations before the server takes requests, then every Auth:RevocationRefreshSeconds, so a
// revocation made on any node holds on every node within that time; expired rows are deleted on the way.
internal sealed class RevocationSync(
    IServiceScopeFactory scopes, RevocationCache cache, IOptions<AuthOptions> options, TimeProvider clock, ILogger<RevocationSync> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RevocationRefreshSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Refreshing token revocations failed; keeping the last known list");
            }
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var rows = await db.Revocations.ToListAsync(ct);
        cache.Replace(rows.Where(r => r.ExpiresAt > now));
        if (rows.All(r => r.ExpiresAt > now)) return;
        using (await scope.ServiceProvider.GetRequiredService<WriteGate>().EnterAsync(RevocationService.GateKey, ct))
            await db.Revocations.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
