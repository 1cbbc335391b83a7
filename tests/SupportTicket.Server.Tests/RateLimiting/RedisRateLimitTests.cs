using System.Net;
using StackExchange.Redis;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Testing;
using static SupportTicket.Server.Tests.RateLimiting.RateLimitAssertions;

namespace SupportTicket.Server.Tests.RateLimiting;

/// <summary>The limiter over real Redis: the one tests/run.sh started, or a redis-server of the test's own.</summary>
public sealed class RedisRateLimitTests
{
    private static string SharedRedis => Environment.GetEnvironmentVariable("ST_TEST_REDIS") is { Length: > 0 } url
        ? url : throw new InvalidOperationException("ST_TEST_REDIS is not set: run the tests with tests/run.sh");

    private static TestApp Node(string redisUrl, string prefix, int listLimit) => new(Store.Sqlite, RateLimitSettings.Limits(new()
    {
        ["Redis:Url"] = redisUrl,
        ["RateLimits:RedisKeyPrefix"] = prefix,
        // Generous, so a busy test machine does not fall back to local counting while Redis is up.
        ["RateLimits:RedisTimeoutMs"] = "3000",
        ["RateLimits:Policies:ListTickets:PermitLimit"] = listLimit.ToString(),
    }));

    private static Task<bool> ReadyAsync(TestApp app, HttpStatusCode expected = HttpStatusCode.OK) =>
        Eventually.Until(async () => (await app.Anonymous().GetAsync("/health/ready")).StatusCode == expected, TimeSpan.FromSeconds(15));

    [Fact]
    public async Task Two_nodes_sharing_redis_hold_one_limit_between_them()
    {
        var prefix = $"st-test:{Guid.NewGuid():N}:";
        using var a = Node(SharedRedis, prefix, listLimit: 3);
        using var b = Node(SharedRedis, prefix, listLimit: 3);
        Assert.True(await ReadyAsync(a) && await ReadyAsync(b), "nodes did not reach Redis");
        var user = Unique.Customer();

        Assert.Equal(2, (await a.ClientFor(user).GetAsync("/api/v1/tickets")).Header("X-RateLimit-Remaining"));
        Assert.Equal(1, (await b.ClientFor(user).GetAsync("/api/v1/tickets")).Header("X-RateLimit-Remaining"));
        Assert.Equal(0, (await a.ClientFor(user).GetAsync("/api/v1/tickets")).Header("X-RateLimit-Remaining"));

        await AssertRateLimited(await b.ClientFor(user).GetAsync("/api/v1/tickets"), limit: 3, windowSeconds: 60);
    }

    [Fact]
    public async Task Another_user_on_the_other_node_is_not_limited_by_the_first()
    {
        var prefix = $"st-test:{Guid.NewGuid():N}:";
        using var a = Node(SharedRedis, prefix, listLimit: 1);
        using var b = Node(SharedRedis, prefix, listLimit: 1);
        Assert.True(await ReadyAsync(a) && await ReadyAsync(b), "nodes did not reach Redis");
        await a.ClientFor(Unique.Customer()).GetAsync("/api/v1/tickets");

        var other = await b.ClientFor(Unique.Customer()).GetAsync("/api/v1/tickets");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_node_whose_redis_is_down_from_the_start_serves_with_local_limits_and_is_not_ready()
    {
        var deadPort = FreeTcpPort.Pick();
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new()
        {
            ["Redis:Url"] = $"127.0.0.1:{deadPort}",
            ["RateLimits:Policies:ListTickets:PermitLimit"] = "2",
        }));
        var client = app.ClientFor(Unique.Customer());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tickets")).StatusCode);
        await AssertRateLimited(await client.GetAsync("/api/v1/tickets"), limit: 2, windowSeconds: 60);
        var ready = await app.Anonymous().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("unhealthy", (await ready.Body()).GetProperty("checks").GetProperty("rate_limit_redis").Str("status"));
    }

    [Fact]
    public async Task When_redis_stops_the_node_counts_locally_without_errors_and_goes_back_to_redis_when_it_returns()
    {
        using var redis = new OwnRedis();
        var prefix = $"st-test:{Guid.NewGuid():N}:";
        using var app = Node(redis.Url, prefix, listLimit: 100);
        Assert.True(await ReadyAsync(app), "node did not reach its Redis");
        var user = Unique.Customer();
        var client = app.ClientFor(user);
        var key = $"{prefix}ListTickets:u:{user.Id}";
        using var probe = await ConnectionMultiplexer.ConnectAsync($"{redis.Url},abortConnect=false,connectTimeout=1000");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(1, (long)await probe.GetDatabase().StringGetAsync(key));

        redis.Stop();
        for (var i = 0; i < 5; i++)
        {
            var during = await client.GetAsync("/api/v1/tickets");
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.Equal(100, during.Header("X-RateLimit-Limit"));
        }
        Assert.True(await ReadyAsync(app, HttpStatusCode.ServiceUnavailable), "ready stayed healthy without Redis");

        redis.Start();
        var back = await Eventually.Until(async () =>
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tickets")).StatusCode);
            // The probe reconnects on its own schedule and may still refuse a command while it says it is connected.
            try { return probe.IsConnected && (await probe.GetDatabase().StringGetAsync(key)).HasValue; }
            catch (RedisConnectionException) { return false; }
        }, TimeSpan.FromSeconds(20));
        Assert.True(back, "node did not count in Redis again after it restarted");
        Assert.True(await ReadyAsync(app), "ready did not recover");
    }
}
