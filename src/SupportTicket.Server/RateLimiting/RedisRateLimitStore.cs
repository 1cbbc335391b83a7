using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SupportTicket.Server.RateLimiting;

// Counts in Redis so a limit holds across every node. One Lua script per hit keeps "add, start the window on the first
// hit, read the time left" atomic. While Redis is unreachable the node counts in its own memory (logged once) and goes
// back to Redis as soon as the connection returns.
public sealed class RedisRateLimitStore(
    RateLimitRedis redis, LocalRateLimitStore fallback, IOptionsMonitor<RateLimitOptions> options, ILogger<RedisRateLimitStore> logger)
    : IRateLimitStore
{
    // KEYS[1] counter; ARGV[1] window in ms; ARGV[2] cost (0 = read only). Returns {count, ms left}.
    private const string Script = """
        local cost = tonumber(ARGV[2])
        local n
        if cost > 0 then
          n = redis.call('INCRBY', KEYS[1], cost)
          if n == cost then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        else
          n = tonumber(redis.call('GET', KEYS[1]) or '0')
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl == -1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        elseif ttl < 0 then
          ttl = 0
        end
        return {n, ttl}
        """;

    private int _degraded;

    public async ValueTask<WindowCount> HitAsync(string key, TimeSpan window, int cost, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var timeout = TimeSpan.FromMilliseconds(current.RedisTimeoutMs);
        var db = await redis.DatabaseAsync(timeout);
        if (db is null)
        {
            Degraded(null);
            return await fallback.HitAsync(key, window, cost, cancellationToken);
        }
        Task<RedisResult>? call = null;
        try
        {
            // Inside the try: with BacklogPolicy.FailFast the call may throw right away instead of returning a faulted task.
            call = db.ScriptEvaluateAsync(Script, [(RedisKey)(current.RedisKeyPrefix + key)], [(long)window.TotalMilliseconds, cost]);
            var result = (RedisResult[])(await call.WaitAsync(timeout, cancellationToken))!;
            Recovered();
            return new WindowCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The call may still fail later; observe it so it does not surface as an unobserved task exception.
            _ = call?.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            Degraded(e);
            return await fallback.HitAsync(key, window, cost, cancellationToken);
        }
    }

    private void Degraded(Exception? e)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
            logger.LogWarning("Redis is unreachable ({Reason}): rate limits are counted on this node only until it returns",
                e?.GetType().Name ?? "not connected");
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _degraded, 0) == 1)
            logger.LogInformation("Redis is reachable again: rate limits are shared across nodes");
    }
}
