using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord.Http;

namespace SupportTicket.Discord.Tests.Rest.RateLimits;

/// <summary>The client slows down as 401/403/429 answers pile up, and stops before Cloudflare's 10,000 in 10 minutes.</summary>
public sealed class InvalidRequestTests
{
    private const string Messages = "POST /channels/{channel_id}/messages";

    [Fact]
    public async Task Past_the_slowdown_threshold_requests_are_spaced_out()
    {
        await using var h = await Harness.StartAsync(configure: o =>
        {
            o.InvalidRequestSlowdownStart = 2;
            o.InvalidRequestStop = 100;
            o.InvalidRequestMaxSpacing = TimeSpan.FromSeconds(20);
        });
        await ForbiddenAsync(h, 2);
        var before = h.Fake.Requests.Count;

        // Count 2 of a 2..100 range: each request is spaced (2-2+1)/98 × 20 s ≈ 204 ms after the previous one.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            h.Rest.CreateMessageAsync(h.Fake.AddChannel($"c{i}", 0, null), new CreateMessageRequest { Content = "x" })));

        var arrivals = h.Fake.Requests.Skip(before).Select(r => r.ArrivedAt).Order().ToArray();
        Assert.Equal(4, arrivals.Length);
        // The client spaces its sends; the fake sees arrivals, which jitter on a loaded machine (a fresh-clone CI run saw
        // 540 ms for the nominal 612). Unspaced requests arrive within a few ms of each other (the test below).
        Assert.True(arrivals[3] - arrivals[0] >= TimeSpan.FromMilliseconds(3 * 150), $"spread only {(arrivals[3] - arrivals[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Below_the_threshold_nothing_is_slowed()
    {
        await using var h = await Harness.StartAsync(configure: o => o.InvalidRequestSlowdownStart = 5);
        await ForbiddenAsync(h, 2);
        var before = h.Fake.Requests.Count;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            h.Rest.CreateMessageAsync(h.Fake.AddChannel($"c{i}", 0, null), new CreateMessageRequest { Content = "x" })));

        var arrivals = h.Fake.Requests.Skip(before).Select(r => r.ArrivedAt).Order().ToArray();
        Assert.True(arrivals[3] - arrivals[0] < TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task At_the_stop_threshold_calls_fail_fast_without_being_sent()
    {
        await using var h = await Harness.StartAsync(configure: o =>
        {
            o.InvalidRequestSlowdownStart = 1;
            o.InvalidRequestStop = 3;
            o.Max429Retries = 0;
        });
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitUser, Messages, Count: 3, RetryAfter: 0.01));
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<DiscordRestException>(() =>
                h.Rest.CreateMessageAsync(h.Fake.AddChannel($"c{i}", 0, null), new CreateMessageRequest { Content = "x" }));
        }

        var sent = h.Fake.Requests.Count;
        var error = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Rest.GetChannelAsync(h.Fake.GeneralTextChannelId));

        Assert.Equal("invalid-requests", error.Scope);
        Assert.True(error.RetryAfter > TimeSpan.FromMinutes(9));
        Assert.Equal(sent, h.Fake.Requests.Count);
        Assert.Equal(3, h.Rest.InvalidRequestCount);
    }

    private static async Task ForbiddenAsync(Harness h, int count)
    {
        var admin = new PermissionOverwrite(1, 0, Allow: 8);
        for (var i = 0; i < count; i++)
        {
            await Assert.ThrowsAsync<DiscordRestException>(() =>
                h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t", PermissionOverwrites: [admin])));
        }

        Assert.Equal(count, h.Rest.InvalidRequestCount);
    }
}
