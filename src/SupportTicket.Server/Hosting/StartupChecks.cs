using SupportTicket.Server.Auth;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Hosting;

// Resolves every setting-dependent singleton at startup, so a bad setting fails now, not at the first request.
internal sealed class StartupChecks(IServiceProvider services, ILogger<StartupChecks> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var target = services.GetRequiredService<DatabaseTarget>();
        var keys = services.GetRequiredService<SigningKeys>();
        if (keys.IsGeneratedDevelopmentKey)
            logger.LogWarning("JWT_SECRET_KEY is not set: using the development key in {KeyFile}. Set JWT_SECRET_KEY before going to production", keys.GeneratedKeyFile);
        logger.LogInformation("Using {Provider} storage", target.Provider);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
