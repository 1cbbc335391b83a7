using StackExchange.Redis;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Cluster;

// The event relay's Redis connection (REDIS_URL). Like the rate limiter's, it connects in the background, keeps
// reconnecting by itself and fails a command at once while Redis is down (FailFast), so nothing waits for Redis.
internal sealed class ClusterRedis : IDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;

    public ClusterRedis(string url)
    {
        _connecting = Task.Run(() => ConnectionMultiplexer.ConnectAsync(Options(url)));
    }

    // REDIS_URL (Redis:Url), trimmed, or null when unset. Read before the container exists because it decides which
    // services are registered (backplane, relay, Redis rate limits); it has no options class of its own.
    public static string? UrlIn(IConfiguration configuration) =>
        configuration["Redis:Url"] is { Length: > 0 } url ? url.Trim() : null;

    public static ConfigurationOptions Options(string url)
    {
        var options = RateLimitRedis.Parse(url);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.ConnectRetry = 1;
        options.KeepAlive = 2;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    public Task<ConnectionMultiplexer> ConnectionAsync => _connecting;

    public bool IsConnected => _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected;

    public void Dispose()
    {
        if (_connecting.IsCompletedSuccessfully) _connecting.Result.Dispose();
    }
}
