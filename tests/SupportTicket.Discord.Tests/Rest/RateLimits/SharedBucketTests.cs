using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;
using SupportTicket.FakeDiscord.Http;

namespace SupportTicket.Discord.Tests.Rest.RateLimits;

/// <summary>Routes that Discord puts in one bucket (same X-RateLimit-Bucket hash) share one queue in the client.</summary>
public sealed class SharedBucketTests
{
    private const string GetChannel = "GET /channels/{channel_id}";
    private const string ModifyChannel = "PATCH /channels/{channel_id}";

    private static FakeDiscordOptions SharedChannelBucket(int limit, TimeSpan per) => new()
    {
        HeartbeatIntervalMs = 5000,
        RouteBuckets = new Dictionary<string, BucketConfig>
        {
            [GetChannel] = new(limit, per, Hash: "channel-shared"),
            [ModifyChannel] = new(limit, per, Hash: "channel-shared"),
        },
    };

    [Fact]
    public async Task The_fake_counts_two_routes_with_one_hash_in_one_window()
    {
        await using var h = await Harness.StartAsync(SharedChannelBucket(3, TimeSpan.FromSeconds(5)));
        var channel = h.Fake.GeneralTextChannelId;

        await h.Rest.GetChannelAsync(channel);
        await h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(Topic: "a"));

        var state = h.Fake.PeekBucket(GetChannel, channel.ToString());
        Assert.Equal((1, "channel-shared"), (state.Remaining, state.Hash));
    }

    [Fact]
    public async Task Concurrent_calls_on_two_routes_sharing_a_bucket_get_no_unforced_429()
    {
        await using var h = await Harness.StartAsync(SharedChannelBucket(2, TimeSpan.FromMilliseconds(300)));
        var channel = h.Fake.GeneralTextChannelId;
        // Learn both routes' hash first, as any running bot has.
        await h.Rest.GetChannelAsync(channel);
        await h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(Topic: "warm-up"));

        await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(i => new Task[]
        {
            h.Rest.GetChannelAsync(channel),
            h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(Topic: $"t{i}")),
        }));

        Assert.Equal(0, h.Fake.Unforced429Count);
        Assert.Equal(18, h.Fake.Requests.Count);
        Assert.Equal(0, h.Rest.InvalidRequestCount);
    }

    [Fact]
    public async Task A_shared_bucket_is_still_per_major_parameter()
    {
        await using var h = await Harness.StartAsync(SharedChannelBucket(1, TimeSpan.FromSeconds(20)));
        var other = h.Fake.AddChannel("other", 0, null);
        await h.Rest.GetChannelAsync(h.Fake.GeneralTextChannelId);

        var second = h.Rest.ModifyChannelAsync(other, new ModifyChannelRequest(Topic: "x"));

        Assert.Same(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(0, h.Fake.Unforced429Count);
    }
}
