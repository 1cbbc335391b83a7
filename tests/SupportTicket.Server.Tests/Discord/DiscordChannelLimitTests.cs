extern alias fake;
using System.Globalization;
using fake::SupportTicket.FakeDiscord;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>
/// Past Discord's channel limits a ticket gets no channel: its row parks, and staff see why in the log channel and
/// operators in a metric. A harness per test, as the limits are the fake's.
/// </summary>
public sealed class DiscordChannelLimitTests
{
    // The fake guild starts with 5 channels and the harness adds 3 (overflow, transcripts, log).
    private const int ChannelsAtStart = 8;

    private static Task<DiscordBotHarness> StartAsync(FakeDiscordOptions limits) => DiscordBotHarness.StartAsync(fakeOptions: limits,
        configure: h => h.Settings["Discord:LogChannelId"] = h.LogChannelId.ToString(CultureInfo.InvariantCulture));

    private static List<string> LogLines(DiscordBotHarness bot)
    {
        lock (bot.Fake.Store.Gate)
            return bot.Fake.Store.MessagesIn(bot.LogChannelId).OrderBy(m => ulong.Parse((string)m["id"]!)).Select(m => (string)m["content"]!).ToList();
    }

    private static async Task<System.Text.Json.JsonElement> ParkedAsync(DiscordBotHarness bot)
    {
        var admin = bot.App.ClientFor(Unique.Admin());
        System.Text.Json.JsonElement status = default;
        await bot.WaitUntilAsync(() =>
        {
            status = admin.GetAsync("/api/v1/admin/discord").Result.Body().Result;
            return status.GetProperty("parked").GetArrayLength() == 1;
        }, "a parked row");
        return status.GetProperty("parked")[0];
    }

    [Fact]
    public async Task A_full_guild_parks_the_ticket_with_a_log_line_and_a_metric_and_a_retry_after_freeing_a_channel_mirrors_it_once()
    {
        await using var bot = await StartAsync(new FakeDiscordOptions { MaxGuildChannels = ChannelsAtStart + 1 });
        var customer = bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "noor"));
        var first = (await customer.CreateTicket("fits")).Str("id");
        await bot.WaitForChannelAsync(first);
        var second = await customer.CreateTicket("no room");
        var (secondId, number) = (second.Str("id"), second.GetProperty("number").GetInt64());

        var parked = await ParkedAsync(bot);
        Assert.Equal(secondId, parked.Str("ticket_id"));
        Assert.Contains("30013", parked.Str("last_error"));
        var rowId = parked.GetProperty("id").GetInt64();
        await bot.WaitUntilAsync(() => LogLines(bot).Any(l => l.Contains($"#{number}:") && l.Contains("has no Discord channel")), "the log line");
        Assert.Contains($"POST /api/v1/admin/outbox/{rowId}/retry", LogLines(bot).Single(l => l.Contains("has no Discord channel")));
        var metrics = await (await bot.App.Anonymous().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches("supportticket_discord_channel_limit_total\\{[^}]*limit=\"guild\"", metrics);

        await customer.PostMessage(secondId, "still waiting");
        await bot.App.ClientFor(Unique.Agent()).PostJson($"/api/v1/tickets/{first}/close", new { });
        await bot.WaitUntilAsync(() => bot.ChannelOf(first) is null, "the first channel's removal");
        Assert.Equal(200, (int)(await bot.App.ClientFor(Unique.Admin()).PostAsync($"/api/v1/admin/outbox/{rowId}/retry", null)).StatusCode);

        var channel = await bot.WaitForChannelAsync(secondId);
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count >= 1, "the message held back behind the parked row");
        await Task.Delay(300); // a duplicate would arrive now
        Assert.Equal(["still waiting"], bot.WebhookMessages(channel).Select(m => (string)m["content"]!));
        lock (bot.Fake.Store.Gate)
            Assert.Single(bot.Fake.Store.MessagesIn(channel), m => m["components"] is System.Text.Json.Nodes.JsonArray { Count: > 0 });
    }

    [Fact]
    public async Task A_full_category_with_a_full_overflow_category_parks_the_ticket_and_says_both_are_full()
    {
        await using var bot = await StartAsync(new FakeDiscordOptions { MaxChannelsPerCategory = 1 });
        var customer = bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "omar"));
        for (var i = 0; i < 2; i++) await bot.WaitForChannelAsync((await customer.CreateTicket($"fits {i}")).Str("id"));
        var third = await customer.CreateTicket("no room");

        Assert.Equal(third.Str("id"), (await ParkedAsync(bot)).Str("ticket_id"));
        var number = third.GetProperty("number").GetInt64();
        await bot.WaitUntilAsync(() => LogLines(bot).Any(l => l.Contains($"#{number}:") && l.Contains("has no Discord channel")), "the log line");
        Assert.Contains("Discord:OverflowCategoryId each hold 50 channels", LogLines(bot).Single(l => l.Contains("has no Discord channel")));
        var metrics = await (await bot.App.Anonymous().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches("supportticket_discord_channel_limit_total\\{[^}]*limit=\"category\"", metrics);
    }
}
