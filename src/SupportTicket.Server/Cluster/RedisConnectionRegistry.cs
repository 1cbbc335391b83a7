using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Cluster;

// Hub connections per user, counted across nodes: one Redis sorted set per user, a member per connection, scored by
// when it expires. Each node re-scores its own connections every Refresh, so the connections of a node that died stop
// counting after Ttl without anyone cleaning up. While Redis is down it answers null and the node's own count decides.
internal sealed class RedisConnectionRegistry(ClusterRedis redis, IOptions<ClusterOptions> options, ILogger<RedisConnectionRegistry> logger)
    : BackgroundService, IHubConnectionRegistry
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);

    // KEYS[1] the user's set; ARGV: now ms, expiry ms, member, max. 1 = counted, 0 = over the cap.
    private const string AddScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZSCORE', KEYS[1], ARGV[3]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    private readonly string _prefix = options.Value.ChannelPrefix + ":hubconn:";
    private readonly ConcurrentDictionary<string, string> _local = new();

    public async ValueTask<bool?> TryAddAsync(string connectionId, string userKey, int max)
    {
        if (!redis.IsConnected) return null;
        try
        {
            var db = (await redis.ConnectionAsync).GetDatabase();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var added = (long)await db.ScriptEvaluateAsync(AddScript, [(RedisKey)(_prefix + userKey)],
                [now, now + (long)Ttl.TotalMilliseconds, connectionId, max, (long)Ttl.TotalMilliseconds]) == 1;
            if (added) _local[connectionId] = userKey;
            return added;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug("Connection cap counted on this node only: {Error}", e.Message);
            return null;
        }
    }

    public async ValueTask RemoveAsync(string connectionId)
    {
        if (!_local.TryRemove(connectionId, out var userKey) || !redis.IsConnected) return;
        try
        {
            await (await redis.ConnectionAsync).GetDatabase().SortedSetRemoveAsync(_prefix + userKey, connectionId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogDebug("Connection {ConnectionId} stays counted until it expires: {Error}", connectionId, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Refresh);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!redis.IsConnected || _local.IsEmpty) continue;
            try
            {
                var db = (await redis.ConnectionAsync).GetDatabase();
                var expires = DateTimeOffset.UtcNow.Add(Ttl).ToUnixTimeMilliseconds();
                var batch = db.CreateBatch();
                var writes = _local.Select(c => batch.SortedSetAddAsync(_prefix + c.Value, c.Key, expires)).ToList();
                batch.Execute();
                await Task.WhenAll(writes);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogDebug("Could not refresh hub connection counts: {Error}", e.Message);
            }
        }
    }
}
