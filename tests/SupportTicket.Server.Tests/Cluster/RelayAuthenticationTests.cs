using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.RateLimiting;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>
/// The event relay over real Redis accepts only what a node of the cluster signed, once (issue #23, item 11): two
/// in-process nodes share the Redis tests/run.sh started, under a channel prefix of this test's own.
/// </summary>
public sealed class RelayAuthenticationTests
{
    private static string SharedRedis => Environment.GetEnvironmentVariable("ST_TEST_REDIS") is { Length: > 0 } url
        ? url : throw new InvalidOperationException("ST_TEST_REDIS is not set: run the tests with tests/run.sh");

    private static TestApp Node(string prefix, string name) => new(Store.Sqlite, new Dictionary<string, string?>
    {
        ["Redis:Url"] = SharedRedis, ["Cluster:ChannelPrefix"] = prefix, ["Cluster:NodeName"] = name,
    });

    [Fact]
    public async Task Forged_altered_and_replayed_relay_messages_are_dropped_and_counted_while_genuine_ones_arrive()
    {
        var prefix = $"st-relay-{Guid.NewGuid():N}";
        using var nodeA = Node(prefix, "a");
        using var nodeB = Node(prefix, "b");
        Assert.True(await Ready(nodeA) && await Ready(nodeB), "nodes did not subscribe to the relay");
        using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis);
        var channel = RedisChannel.Literal(prefix + ":events");
        var seen = new ConcurrentQueue<byte[]>();
        (await redis.GetSubscriber().SubscribeAsync(channel)).OnMessage(m => seen.Enqueue((byte[])m.Message!));

        var customer = Unique.Customer();
        await using var customerHub = await HubClient.AuthorizedAsync(nodeA, customer);
        var id = (await nodeB.ClientFor(customer).CreateTicket("Relay")).Str("id");
        await customerHub.NextEventForAsync(id, "ticket_created");
        var agent = nodeB.ClientFor(Unique.Agent());
        var genuine = await agent.PostMessage(id, "genuine 1");
        Assert.Equal("genuine 1", (await customerHub.NextEventForAsync(id, "message")).Payload.Str("content"));
        Assert.True(await Eventually.Until(() => Task.FromResult(seen.Any(w => Contains(w, "genuine 1"))), TimeSpan.FromSeconds(10)));
        var captured = seen.First(w => Contains(w, "genuine 1"));

        // What anyone who can publish to the channel can write: the envelope as JSON, with or without a guessed MAC.
        var forged = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["node"] = "evil",
            ["event"] = new JsonObject
            {
                ["name"] = "message",
                ["ticket"] = JsonNode.Parse((await (await agent.GetAsync($"/api/v1/tickets/{id}")).Body()).GetRawText()),
                ["message"] = ForgedMessage(genuine),
                ["last_public_seq"] = 9, ["public_updated_at"] = 0, ["public_seq"] = 9,
            },
            ["instance"] = "evil", ["counter"] = 1,
            ["sent_at_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        }.ToJsonString());
        var publisher = redis.GetSubscriber();
        await publisher.PublishAsync(channel, forged);
        await publisher.PublishAsync(channel, new byte[32].Concat(forged).ToArray());
        await publisher.PublishAsync(channel, Replace(captured, "genuine 1", "genuine X")); // a genuine MAC, an altered body
        await publisher.PublishAsync(channel, captured); // a genuine message, sent again

        await agent.PostMessage(id, "genuine 2");

        // Redis delivers in the order it received: the four came before "genuine 2", and none of them got through.
        Assert.Equal("genuine 2", (await customerHub.NextEventForAsync(id, "message")).Payload.Str("content"));
        Assert.DoesNotContain(customerHub.Pending(), e => e.Name == "message");
        Assert.Equal(4, nodeA.Services.GetRequiredService<RedisEventRelay>().Rejected);
    }

    [Fact]
    public void A_relay_secret_shorter_than_32_bytes_is_a_startup_error_naming_the_setting()
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { RelaySecret = "too-short" });

        Assert.Equal("CLUSTER_RELAY_SECRET must be at least 32 bytes long (it has 9)", Assert.Single(result.Failures!));
    }

    [Fact]
    public void The_replay_guard_refuses_old_stamps_and_numbers_it_has_seen_from_a_sender()
    {
        var guard = new RelayReplayGuard();
        const long now = 1_800_000_000_000;
        var window = (long)RelayReplayGuard.MaxAge.TotalMilliseconds;

        Assert.Null(guard.Admit("node-1", 1, now, now));
        Assert.Null(guard.Admit("node-1", 2, now - window, now));
        Assert.Equal("replayed", guard.Admit("node-1", 2, now, now));
        Assert.Equal("replayed", guard.Admit("node-1", 1, now, now));
        Assert.Equal("stale", guard.Admit("node-1", 3, now - window - 1, now));
        Assert.Equal("stale", guard.Admit("node-1", 3, now + window + 1, now));
        Assert.Null(guard.Admit("node-2", 1, now, now)); // another sender numbers on its own
    }

    /// <summary>The other half of "Redis must be private": a Redis ACL user of the deployment's own, named in REDIS_URL.</summary>
    [Fact]
    public async Task A_redis_acl_user_in_the_redis_url_is_the_one_the_nodes_sign_in_as()
    {
        var user = $"st-acl-{Guid.NewGuid():N}";
        using var admin = await ConnectionMultiplexer.ConnectAsync(SharedRedis + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ExecuteAsync("ACL", "SETUSER", user, "on", ">relay-password", "~*", "&*", "+@all");
        try
        {
            var url = $"redis://{user}:relay-password@{SharedRedis}";
            Assert.Equal(user, SupportTicket.Server.RateLimiting.RateLimitRedis.Parse(url).User);
            using var node = new TestApp(Store.Sqlite, new Dictionary<string, string?>
            {
                ["Redis:Url"] = url, ["Cluster:ChannelPrefix"] = $"st-relay-{Guid.NewGuid():N}",
            });

            Assert.True(await Ready(node), "the node did not reach Redis");
            Assert.Contains(await server.ClientListAsync(), c => (c.Raw ?? "").Contains($" user={user} ", StringComparison.Ordinal));
        }
        finally
        {
            await server.ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    private static JsonNode ForgedMessage(JsonElement genuine)
    {
        var message = JsonNode.Parse(genuine.GetRawText())!;
        message["id"] = Guid.NewGuid().ToString("N");
        message["content"] = "forged: your account is closed, log in at evil.example";
        message["author_role"] = "ADMIN";
        return message;
    }

    private static Task<bool> Ready(TestApp app) =>
        Eventually.Until(async () => (await app.Anonymous().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));

    private static bool Contains(byte[] wire, string text) => Encoding.UTF8.GetString(wire).Contains(text, StringComparison.Ordinal);

    private static byte[] Replace(byte[] wire, string from, string to)
    {
        var copy = (byte[])wire.Clone();
        var index = copy.AsSpan().IndexOf(Encoding.UTF8.GetBytes(from));
        Assert.True(index >= 0 && from.Length == to.Length);
        Encoding.UTF8.GetBytes(to).CopyTo(copy, index);
        return copy;
    }
}
