using SupportTicket.Discord.Models;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Rest.RateLimits;

public sealed class BucketTests
{
    private const string Route = "POST /channels/{channel_id}/messages";

    [Fact]
    public async Task A_burst_of_200_messages_gets_no_unforced_429()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MessageBucket = new BucketConfig(5, TimeSpan.FromMilliseconds(500)) });
        var channels = Enumerable.Range(0, 10).Select(i => h.Fake.AddChannel($"c{i}", 0, null)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            h.Rest.CreateMessageAsync(channels[i % channels.Length], new CreateMessageRequest { Content = $"m{i}" })));

        Assert.Equal(0, h.Fake.Unforced429Count);
        Assert.Equal(0, h.Rest.InvalidRequestCount);
        Assert.Equal(200, h.Fake.RequestsTo(Route).Count);
        Assert.All(channels, c => Assert.Equal(20, h.Fake.Store.MessagesIn(c).Count));
    }

    [Fact]
    public async Task A_burst_never_exceeds_50_requests_in_any_second()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MessageBucket = new BucketConfig(100, TimeSpan.FromSeconds(10)) });
        var channels = Enumerable.Range(0, 20).Select(i => h.Fake.AddChannel($"c{i}", 0, null)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            h.Rest.CreateMessageAsync(channels[i % channels.Length], new CreateMessageRequest { Content = $"m{i}" })));

        var arrivals = h.Fake.Requests.Select(r => r.ArrivedAt).Order().ToArray();
        for (var i = 50; i < arrivals.Length; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - 50] >= TimeSpan.FromSeconds(1), $"request {i} broke the global limit");
        }

        Assert.Equal(0, h.Fake.Unforced429Count);
    }

    [Fact]
    public async Task The_client_waits_for_the_bucket_to_reset_when_none_remain()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MessageBucket = new BucketConfig(2, TimeSpan.FromMilliseconds(400)) });

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = $"m{i}" })));

        var arrivals = h.Fake.RequestsTo(Route).Select(r => r.ArrivedAt).Order().ToArray();
        Assert.True(arrivals[2] - arrivals[0] >= TimeSpan.FromMilliseconds(400));
        Assert.Equal(0, h.Fake.Unforced429Count);
    }

    [Fact]
    public async Task Buckets_are_per_major_parameter_so_other_channels_are_not_held_back()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MessageBucket = new BucketConfig(1, TimeSpan.FromSeconds(30)) });
        var other = h.Fake.AddChannel("other", 0, null);
        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        var second = h.Rest.CreateMessageAsync(other, new CreateMessageRequest { Content = "b" });

        // Held back wrongly, it would wait the full 30 s window.
        Assert.Same(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal(other, (await second).ChannelId);
        Assert.Equal(0, h.Fake.Unforced429Count);
    }

    [Fact]
    public async Task Cancelling_a_call_that_waits_for_its_bucket_stops_it()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MessageBucket = new BucketConfig(1, TimeSpan.FromSeconds(20)) });
        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "b" }, cts.Token));

        Assert.Single(h.Fake.RequestsTo(Route));
    }
}
