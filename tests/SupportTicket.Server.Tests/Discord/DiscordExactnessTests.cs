extern alias fake;
using System.Net;
using System.Text.Json;
using fake::SupportTicket.FakeDiscord;
using fake::SupportTicket.FakeDiscord.Http;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>
/// Issue #24 on the fake Discord: a full category or a refused move never stops a ticket, a refused row holds its
/// ticket back (and only its ticket) until an operator acts, and retries after an ambiguous failure never post twice.
/// A harness per test: faults and limits are global to the fake.
/// </summary>
public sealed class DiscordExactnessTests
{
    private const string WebhookRoute = "POST /webhooks/{webhook_id}/{webhook_token}";
    private const string CreateMessageRoute = "POST /channels/{channel_id}/messages";

    private static IReadOnlyList<string> WebhookTexts(DiscordBotHarness bot, ulong channel) =>
        bot.WebhookMessages(channel).Select(m => (string)m["content"]!).ToList();

    /// <summary>Rows waiting for Discord, as the status endpoint (older than this issue) counts them.</summary>
    private static int Depth(DiscordBotHarness bot) =>
        bot.App.ClientFor(Unique.Admin()).GetAsync("/api/v1/admin/discord").Result.Body().Result.GetProperty("outbox_depth").GetInt32();

    private static IReadOnlyList<JsonElement> Rows(HttpClient admin, string state) =>
        admin.GetAsync($"/api/v1/admin/outbox?state={state}").Result.Body().Result.EnumerateArray().ToList();

    /// <summary>The ticket's channel with its webhook made, so that losing access afterwards refuses only the bot's own posts.</summary>
    private static async Task<ulong> ReadyChannelAsync(DiscordBotHarness bot, string ticketId)
    {
        var channel = await bot.WaitForChannelAsync(ticketId);
        await bot.WaitUntilAsync(() => { lock (bot.Fake.Store.Gate) return bot.Fake.Store.Webhooks.Values.Any(w => w.ChannelId == channel); }, "the channel's webhook");
        await bot.WaitUntilAsync(() => Depth(bot) == 0, "the outbox to drain");
        return channel;
    }

    [Fact]
    public async Task A_ticket_in_the_overflow_category_gets_every_message_while_its_level_category_is_full_and_moves_once_there_is_room()
    {
        await using var bot = await DiscordBotHarness.StartAsync(fakeOptions: new FakeDiscordOptions { MaxChannelsPerCategory = 1 },
            settings: new Dictionary<string, string?> { ["Discord:MoveRetrySeconds"] = "1" });
        var customer = bot.App.ClientFor(Unique.Customer());
        var first = (await customer.CreateTicket("first")).Str("id");
        await bot.WaitForChannelAsync(first);
        var second = (await customer.CreateTicket("second")).Str("id");
        var channel = await bot.WaitForChannelAsync(second);
        Assert.Equal(bot.OverflowCategoryId.ToString(), (string?)bot.ChannelOf(second)!["parent_id"]);

        var expected = new[] { "one", "two", "three" };
        foreach (var text in expected) await customer.PostMessage(second, text);

        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count >= 3, "the three messages in the overflow channel");
        Assert.Equal(expected, WebhookTexts(bot, channel));
        Assert.Empty(Rows(bot.App.ClientFor(Unique.Admin()), "parked"));
        // Agents are told once where the ticket is and why.
        Assert.Single(bot.Fake.Store.MessagesIn(channel), m => ((string?)m["content"])?.Contains("category is full") == true);

        // Room appears: the first ticket's channel goes (closed channels are deleted); the next change moves the second ticket home.
        var agent = bot.App.ClientFor(Unique.Agent());
        await agent.PostJson($"/api/v1/tickets/{first}/close", new { });
        await bot.WaitUntilAsync(() => bot.ChannelOf(first) is null, "the first ticket's channel deleted");
        // Not waiting for an outcome: the move is retried at a change made after MoveRetrySeconds (1 s), so let that pass.
        await Task.Delay(1100);
        await customer.PostMessage(second, "four");
        await bot.WaitUntilAsync(() => (string?)bot.ChannelOf(second)!["parent_id"] == bot.Fake.GeneralCategoryId.ToString(), "the move home");
        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count >= 4, "the fourth message");
    }

    [Fact]
    public async Task A_level_change_into_a_category_the_bot_may_not_manage_still_delivers_the_ticket_messages()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        bot.Fake.RevokeAccess(bot.CriticalCategoryId);

        await bot.App.ClientFor(Unique.Agent()).PatchJson($"/api/v1/tickets/{ticketId}", new { issue_level = "CRITICAL" });
        await customer.PostMessage(ticketId, "after the level change");

        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count >= 1, "the message after the refused move");
        Assert.Equal(bot.Fake.GeneralCategoryId.ToString(), (string?)bot.ChannelOf(ticketId)!["parent_id"]);
        Assert.Contains(bot.Fake.Store.MessagesIn(channel), m => ((string?)m["content"])?.Contains("CRITICAL") == true);
        Assert.Empty(Rows(bot.App.ClientFor(Unique.Admin()), "parked"));
    }

    [Fact]
    public async Task A_parked_row_holds_back_its_ticket_only_and_retry_delivers_in_order()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var agent = bot.App.ClientFor(Unique.Agent());
        var admin = bot.App.ClientFor(Unique.Admin());
        var ticketId = (await customer.CreateTicket("blocked")).Str("id");
        var channel = await ReadyChannelAsync(bot, ticketId);
        bot.Fake.RevokeAccess(channel); // the bot's own posts (notes) answer 403; the webhook still works

        await agent.PostMessage(ticketId, "a note Discord refuses", @internal: true);
        await customer.PostMessage(ticketId, "after the note");
        await bot.WaitUntilAsync(() => Rows(admin, "parked").Count == 1, "the parked note");
        var other = (await customer.CreateTicket("unaffected")).Str("id");
        await bot.WaitForChannelAsync(other);

        var parked = Rows(admin, "parked").Single();
        Assert.Contains("403", parked.Str("last_error"));
        Assert.Equal("message_posted", parked.Str("kind"));
        Assert.Equal("parked", parked.Str("state"));
        Assert.Equal(ticketId, parked.Str("ticket_id"));
        Assert.Contains(Rows(admin, "waiting"), r => r.Str("ticket_id") == ticketId);
        Assert.Empty(WebhookTexts(bot, channel)); // the customer's message did not overtake the note
        Assert.Contains("supportticket_outbox_parked_oldest_age", await bot.App.CreateClient().GetStringAsync("/metrics"));

        // The operator's handle: errors for strangers, unknown ids and rows that are not parked.
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/admin/outbox?state=parked")).StatusCode);
        var bad = await admin.GetAsync("/api/v1/admin/outbox?state=stuck");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("BAD_REQUEST", (await bad.Body()).Str("error"));
        var missing = await admin.PostJson("/api/v1/admin/outbox/999999/retry", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NOT_FOUND", (await missing.Body()).Str("error"));
        var waiting = Rows(admin, "waiting").First(r => r.Str("ticket_id") == ticketId).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJson($"/api/v1/admin/outbox/{waiting}/discard", new { })).StatusCode);

        bot.Fake.RestoreAccess(channel);
        var retried = await admin.PostJson($"/api/v1/admin/outbox/{parked.GetProperty("id").GetInt64()}/retry", new { });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count == 1, "the held-back message");
        var order = bot.Fake.Store.MessagesIn(channel).OrderBy(m => ulong.Parse((string)m["id"]!)).Select(m => (string?)m["content"]).ToList();
        Assert.True(order.FindIndex(c => c?.Contains("a note Discord refuses") == true) < order.IndexOf("after the note"), string.Join(" | ", order));
    }

    [Fact]
    public async Task Discarding_a_parked_row_lets_the_ticket_go_on()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var admin = bot.App.ClientFor(Unique.Admin());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await ReadyChannelAsync(bot, ticketId);
        bot.Fake.RevokeAccess(channel);
        await bot.App.ClientFor(Unique.Agent()).PostMessage(ticketId, "refused note", @internal: true);
        await customer.PostMessage(ticketId, "goes on");
        await bot.WaitUntilAsync(() => Rows(admin, "parked").Count == 1, "the parked note");

        var id = Rows(admin, "parked").Single().GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJson($"/api/v1/admin/outbox/{id}/discard", new { })).StatusCode);

        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count == 1, "the message after the discarded row");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostJson($"/api/v1/admin/outbox/{id}/discard", new { })).StatusCode);
    }

    [Fact]
    public async Task A_split_message_whose_parts_end_in_whitespace_is_posted_once_after_an_ambiguous_failure()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        // Two parts, the first cut after a space (Discord strips it); the first part's answer is lost after Discord stored it.
        var text = string.Join(' ', Enumerable.Range(0, 570).Select(i => $"w{i:D4}"));
        bot.Fake.InjectFault(new Fault(FaultKind.BadGatewayAfterCommit, WebhookRoute, Count: 1));
        await customer.PostMessage(ticketId, text);

        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count >= 2, "both parts");
        await bot.WaitUntilAsync(() => Depth(bot) == 0, "the outbox to drain");
        Assert.Equal(1, bot.Fake.ForcedFaultCount);
        var parts = WebhookTexts(bot, channel);
        Assert.Equal(2, parts.Count);
        Assert.Equal(text, string.Join(' ', parts));
    }

    [Fact]
    public async Task A_note_retried_after_the_nonce_window_is_found_in_the_channel_and_not_posted_again()
    {
        await using var bot = await DiscordBotHarness.StartAsync(fakeOptions: new FakeDiscordOptions { NonceWindow = TimeSpan.FromSeconds(1) },
            settings: new Dictionary<string, string?> { ["Discord:NonceWindowSeconds"] = "1", ["Discord:RetryBaseMs"] = "1500", ["Discord:RetryMaxMs"] = "1500" });
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        // Every try of the client's own retries loses its answer; the outbox retries 1.5 s later, when Discord has forgotten the nonce.
        bot.Fake.InjectFault(new Fault(FaultKind.BadGatewayAfterCommit, CreateMessageRoute, Count: 3));
        await bot.App.ClientFor(Unique.Agent()).PostMessage(ticketId, "late note", @internal: true);

        await bot.WaitUntilAsync(() => bot.Fake.ForcedFaultCount >= 1, "the lost answer");
        await bot.WaitUntilAsync(() => Depth(bot) == 0, "the outbox to drain");
        Assert.Single(bot.Fake.Store.MessagesIn(channel), m => ((string?)m["content"])?.Contains("late note") == true);
    }
}
