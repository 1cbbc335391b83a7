using System.Net;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Fake;

/// <summary>
/// Issue #24 item 10: the fake is as strict as Discord where the mirror's bugs hid, so the server's tests can fail
/// for the right reasons: nonces forgotten after a while, content stored trimmed, the webhooks' per-channel sublimit,
/// and 403 on a channel the bot lost access to.
/// </summary>
public sealed class FakeStrictnessTests
{
    [Fact]
    public async Task A_nonce_returns_the_first_message_within_its_window_and_posts_again_after_it()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, NonceWindow = TimeSpan.FromMilliseconds(300) });
        var channel = h.Fake.GeneralTextChannelId;
        var request = new CreateMessageRequest { Content = "note", Nonce = "row-1" };

        var first = await h.Rest.CreateMessageAsync(channel, request);
        var again = await h.Rest.CreateMessageAsync(channel, request);
        await Task.Delay(400); // past the window: that is what is under test
        var late = await h.Rest.CreateMessageAsync(channel, request);

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, late.Id);
        Assert.Equal(2, h.Fake.Store.MessagesIn(channel).Count);
    }

    [Fact]
    public async Task Content_is_stored_without_leading_and_trailing_whitespace_and_reads_carry_no_nonce()
    {
        await using var h = await Harness.StartAsync();
        var channel = h.Fake.GeneralTextChannelId;

        await h.Rest.CreateMessageAsync(channel, new CreateMessageRequest { Content = "  part one ending in a space ", Nonce = "n1" });

        var stored = Assert.Single(h.Fake.Store.MessagesIn(channel));
        Assert.Equal("part one ending in a space", (string?)stored["content"]);
        Assert.Null(stored["nonce"]);
    }

    [Fact]
    public async Task Webhooks_post_at_most_the_configured_number_per_channel_and_window()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, WebhookPostsPerChannel = 3 },
            o => o.Max429Retries = 0);
        var hook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "SupportTicket");
        for (var i = 0; i < 3; i++) await h.Rest.ExecuteWebhookAsync(hook.Id, hook.Token!, new ExecuteWebhookRequest { Content = $"m{i}" });

        await Assert.ThrowsAsync<DiscordRateLimitedException>(() =>
            h.Rest.ExecuteWebhookAsync(hook.Id, hook.Token!, new ExecuteWebhookRequest { Content = "one too many" }));
        Assert.Equal(1, h.Fake.WebhookSublimit429Count);
    }

    [Fact]
    public async Task A_channel_the_bot_lost_access_to_answers_403_and_so_does_a_move_into_a_category_it_may_not_manage()
    {
        await using var h = await Harness.StartAsync();
        var channel = h.Fake.AddChannel("ticket-1", 0, h.Fake.GeneralCategoryId);
        var archive = h.Fake.ArchiveCategoryId;
        h.Fake.RevokeAccess(archive);

        var move = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.ModifyChannelAsync(channel, new ModifyChannelRequest(ParentId: archive)));
        h.Fake.RevokeAccess(channel);
        var post = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateMessageAsync(channel, new CreateMessageRequest { Content = "x" }));

        Assert.Equal((HttpStatusCode.Forbidden, 50013), (move.Status, move.Code));
        Assert.Equal((HttpStatusCode.Forbidden, 50001), (post.Status, post.Code));
    }
}
