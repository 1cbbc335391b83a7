using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord.Http;

namespace SupportTicket.Discord.Tests.Rest.RateLimits;

public sealed class Status429Tests
{
    private const string Messages = "POST /channels/{channel_id}/messages";
    private const string ModifyChannel = "PATCH /channels/{channel_id}";

    [Fact]
    public async Task A_user_429_is_retried_no_sooner_than_retry_after()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitUser, Messages, RetryAfter: 0.4));

        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        var requests = h.Fake.RequestsTo(Messages);
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromMilliseconds(400));
        Assert.Equal(1, h.Rest.InvalidRequestCount);
    }

    [Fact]
    public async Task A_shared_429_is_retried_and_not_counted_as_invalid()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitShared, Messages, RetryAfter: 0.1));

        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        Assert.Equal(2, h.Fake.RequestsTo(Messages).Count);
        Assert.Equal(0, h.Rest.InvalidRequestCount);
    }

    [Fact]
    public async Task A_global_429_pauses_every_route()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitGlobal, Messages, RetryAfter: 0.5));
        var channel = h.Fake.AddChannel("other", 0, null);

        var first = h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });
        await Eventually.UntilAsync(() => h.Rest.InvalidRequestCount == 1, "the global 429 to reach the client");
        await h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(Topic: "t"));
        await first;

        var limited = h.Fake.RequestsTo(Messages)[0];
        var other = h.Fake.RequestsTo(ModifyChannel).Single();
        Assert.Equal(429, limited.Status);
        Assert.True(other.ArrivedAt - limited.ArrivedAt >= TimeSpan.FromMilliseconds(500), "another route went out during the global pause");
    }

    [Fact]
    public async Task Interaction_callbacks_are_not_held_back_by_a_global_pause()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitGlobal, Messages, RetryAfter: 20));
        var interaction = await h.Fake.CreateInteractionAsync(h.Fake.GeneralTextChannelId, 5, [6]);
        using var cts = new CancellationTokenSource();

        var paused = h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" }, cts.Token);
        await Eventually.UntilAsync(() => h.Rest.InvalidRequestCount == 1, "the global 429 to reach the client");
        await h.Rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.DeferredChannelMessage));

        Assert.False(paused.IsCompleted);
        Assert.Equal(1, interaction.Callbacks);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => paused);
    }

    [Fact]
    public async Task A_sublimit_with_a_long_retry_after_fails_fast_without_blocking_the_bucket()
    {
        await using var h = await Harness.StartAsync();
        var channel = h.Fake.AddChannel("t", 0, null);
        h.Fake.InjectFault(new Fault(FaultKind.Sublimit, ModifyChannel, RetryAfter: 600));

        var error = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(Name: "renamed")));
        await h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(ParentId: h.Fake.ArchiveCategoryId));

        Assert.True(error.Sublimit);
        Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
        Assert.Equal([429, 200], h.Fake.RequestsTo(ModifyChannel).Select(r => r.Status));
    }

    [Fact]
    public async Task A_short_sublimit_is_waited_out_and_retried()
    {
        await using var h = await Harness.StartAsync();
        var channel = h.Fake.AddChannel("t", 0, null);
        h.Fake.InjectFault(new Fault(FaultKind.Sublimit, ModifyChannel, RetryAfter: 0.2));

        var renamed = await h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(Name: "renamed"));

        var requests = h.Fake.RequestsTo(ModifyChannel);
        Assert.Equal("renamed", renamed.Name);
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_long_bucket_wait_is_reported_and_later_calls_fail_without_being_sent()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitUser, Messages, RetryAfter: 600));

        var first = await Assert.ThrowsAsync<DiscordRateLimitedException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" }));
        var second = await Assert.ThrowsAsync<DiscordRateLimitedException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "b" }));

        Assert.False(first.Sublimit);
        Assert.True(second.RetryAfter > TimeSpan.FromSeconds(500));
        Assert.Single(h.Fake.RequestsTo(Messages));
    }

    [Fact]
    public async Task Repeated_429s_do_not_cause_a_retry_storm()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.RateLimitUser, Messages, Count: 50, RetryAfter: 0.05));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" }));

        var arrivals = h.Fake.RequestsTo(Messages).Select(r => r.ArrivedAt).ToArray();
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, error.Status);
        Assert.Equal(h.Options.Max429Retries + 1, arrivals.Length);
        Assert.All(arrivals.Zip(arrivals.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(50)));
    }
}
