extern alias fake;
using System.Net;
using fake::SupportTicket.FakeDiscord;
using fake::SupportTicket.FakeDiscord.Http;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Discord misbehaving or away: nothing lost, nothing doubled, the API unaffected. A harness per test, as faults are global.</summary>
public sealed class DiscordOutageTests
{
    private const string WebhookRoute = "POST /webhooks/{webhook_id}/{webhook_token}";

    private static readonly TestUser Alice = TestUser.Customer(Unique.Id("cust"), "alice");

    private static async Task<(HttpClient Customer, string TicketId, ulong Channel)> OpenTicketAsync(DiscordBotHarness bot)
    {
        var customer = bot.App.ClientFor(Alice);
        var ticketId = (await customer.CreateTicket()).Str("id");
        return (customer, ticketId, await bot.WaitForChannelAsync(ticketId));
    }

    private static IReadOnlyList<string> WebhookTexts(DiscordBotHarness bot, ulong channel) =>
        bot.WebhookMessages(channel).Select(m => (string)m["content"]!).ToList();

    [Fact]
    public async Task Discord_answering_429_and_502_after_the_write_still_delivers_every_message_once_and_in_order()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var (customer, ticketId, channel) = await OpenTicketAsync(bot);
        bot.Fake.InjectFault(new Fault(FaultKind.RateLimitUser, WebhookRoute, Count: 2, RetryAfter: 0.2));
        bot.Fake.InjectFault(new Fault(FaultKind.BadGatewayAfterCommit, WebhookRoute, Count: 3));

        var expected = Enumerable.Range(1, 6).Select(i => $"message {i}").ToList();
        foreach (var text in expected) await customer.PostMessage(ticketId, text);

        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count >= expected.Count, "six webhook messages");
        await bot.WaitUntilAsync(() => DepthAsync(bot).Result == 0, "the outbox to drain");
        Assert.Equal(expected, WebhookTexts(bot, channel));
        Assert.True(bot.Fake.ForcedFaultCount >= 5);
    }

    [Fact]
    public async Task Discord_down_leaves_the_api_answering_and_everything_is_mirrored_once_it_is_back()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var (customer, ticketId, channel) = await OpenTicketAsync(bot);
        bot.Fake.InjectFault(new Fault(FaultKind.BadGateway, null, Count: 30));

        var expected = Enumerable.Range(1, 5).Select(i => $"while down {i}").ToList();
        foreach (var text in expected)
            Assert.Equal(HttpStatusCode.Created, (await customer.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content = text })).StatusCode);
        var second = (await customer.CreateTicket("Second while down")).Str("id");

        var metrics = await bot.App.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("supportticket_outbox_depth", metrics);
        Assert.Contains("supportticket_outbox_oldest_age", metrics);

        await bot.WaitUntilAsync(() => WebhookTexts(bot, channel).Count >= expected.Count, "the messages after the outage");
        Assert.Equal(expected, WebhookTexts(bot, channel));
        await bot.WaitForChannelAsync(second);
    }

    [Fact]
    public async Task Bot_stopped_mid_conversation_relays_what_agents_typed_meanwhile_and_sends_what_customers_wrote_once()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var (customer, ticketId, channel) = await OpenTicketAsync(bot);
        await bot.Fake.PostUserMessageAsync(channel, Agent, "before the restart", [SupportRole]);
        await bot.WaitForMessagesAsync(customer, ticketId, 1);
        // Discord is slow: the customer's message is committed, but not yet in Discord when the server stops.
        bot.Fake.InjectFault(new Fault(FaultKind.BadGatewayAfterCommit, WebhookRoute, Count: 1));
        await customer.PostMessage(ticketId, "customer while stopping");
        await bot.WaitUntilAsync(() => bot.Fake.ForcedFaultCount >= 1, "the lost answer");

        await bot.StopAppAsync();
        await bot.Fake.PostUserMessageAsync(channel, Agent, "typed while the bot was away", [SupportRole]);
        await bot.Fake.PostUserMessageAsync(channel, Agent, "and another one", [SupportRole]);
        await bot.StartAgainAsync();
        customer = bot.App.ClientFor(Alice);

        var messages = await bot.WaitForMessagesAsync(customer, ticketId, 4);
        await bot.WaitUntilAsync(() => DepthAsync(bot).Result == 0, "the outbox to drain");
        await Task.Delay(300); // a duplicate would arrive now
        messages = await bot.WaitForMessagesAsync(customer, ticketId, 4);
        Assert.Equal(["before the restart", "customer while stopping", "typed while the bot was away", "and another one"],
            messages.Select(m => m.Str("content")));
        Assert.Equal(["customer while stopping"], WebhookTexts(bot, channel));
    }

    [Fact]
    public async Task A_full_category_overflows_into_the_overflow_category()
    {
        await using var bot = await DiscordBotHarness.StartAsync(fakeOptions: new FakeDiscordOptions { MaxChannelsPerCategory = 2 });
        var customer = bot.App.ClientFor(Unique.Customer());
        var tickets = new List<string>();
        for (var i = 0; i < 3; i++) tickets.Add((await customer.CreateTicket($"ticket {i}")).Str("id"));
        foreach (var id in tickets) await bot.WaitForChannelAsync(id);

        // Tickets are drained in parallel, so which one overflows is not fixed: only how many.
        var parents = tickets.Select(id => (string?)bot.ChannelOf(id)!["parent_id"]).ToList();
        Assert.Equal(2, parents.Count(p => p == bot.Fake.GeneralCategoryId.ToString()));
        Assert.Equal(1, parents.Count(p => p == bot.OverflowCategoryId.ToString()));
    }

    [Fact]
    public async Task Without_an_overflow_category_a_full_category_parks_the_row_and_the_status_endpoint_shows_it()
    {
        await using var bot = await DiscordBotHarness.StartAsync(fakeOptions: new FakeDiscordOptions { MaxChannelsPerCategory = 2 },
            settings: new Dictionary<string, string?> { ["Discord:OverflowCategoryId"] = "" });
        var customer = bot.App.ClientFor(Unique.Customer());
        for (var i = 0; i < 3; i++) await customer.CreateTicket($"ticket {i}");
        var admin = bot.App.ClientFor(Unique.Admin());

        System.Text.Json.JsonElement status = default;
        await bot.WaitUntilAsync(() =>
        {
            status = admin.GetAsync("/api/v1/admin/discord").Result.Body().Result;
            return status.GetProperty("parked").GetArrayLength() == 1;
        }, "a parked row");
        Assert.Contains("50 channels", status.GetProperty("parked")[0].Str("last_error"));
        Assert.True(status.GetProperty("gateway_connected").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/v1/admin/discord")).StatusCode);
    }

    private static async Task<int> DepthAsync(DiscordBotHarness bot)
    {
        var status = await (await bot.App.ClientFor(Unique.Admin()).GetAsync("/api/v1/admin/discord")).Body();
        return status.GetProperty("outbox_depth").GetInt32();
    }
}
