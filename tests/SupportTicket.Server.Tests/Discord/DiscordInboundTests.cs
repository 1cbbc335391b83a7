extern alias fake;
using System.Text.Json.Nodes;
using fake::SupportTicket.FakeDiscord;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Agents' words reach the ticket or the agent hears why not: nothing typed in Discord is lost silently (#24.4, #24.9).</summary>
public sealed class DiscordInboundTests
{
    private static readonly FakeMember SupportAgent = new(Agent, [SupportRole], Username: "hank");

    private static async Task<(HttpClient Staff, string TicketId, ulong Channel)> OpenTicketAsync(DiscordBotHarness bot)
    {
        var ticketId = (await bot.App.ClientFor(Unique.Customer()).CreateTicket()).Str("id");
        return (bot.App.ClientFor(Unique.Admin()), ticketId, await bot.WaitForChannelAsync(ticketId));
    }

    [Fact]
    public async Task A_relay_that_fails_is_retried_and_not_skipped_by_the_next_reply()
    {
        await using var bot = await DiscordBotHarness.StartAsync(settings: new Dictionary<string, string?> { ["Discord:PublicBaseUrl"] = "https://tickets.example.com" });
        var (staff, ticketId, channel) = await OpenTicketAsync(bot);
        bot.Fake.BreakAttachmentDownloads(1); // the connection to Discord's CDN resets halfway through the file

        await bot.Fake.PostUserMessageAsync(channel, SupportAgent, "see the log", [new FakeFile("app.log", new byte[4096])]);
        await bot.Fake.PostUserMessageAsync(channel, SupportAgent, "second reply");

        var messages = await bot.WaitForMessagesAsync(staff, ticketId, 2);
        Assert.Equal(["second reply", "see the log"], messages.Select(m => m.Str("content")).Order());
        var withFile = messages.Single(m => m.Str("content") == "see the log");
        Assert.Single(withFile.GetProperty("attachments").EnumerateArray());
    }

    [Fact]
    public async Task A_reply_the_server_refuses_gets_a_cross_and_a_reply_saying_why()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var (staff, ticketId, channel) = await OpenTicketAsync(bot);

        var refused = await bot.Fake.PostUserMessageAsync(channel, SupportAgent, new string('x', 4001)); // Nitro allows 4,000 and more

        await bot.WaitUntilAsync(() => Reactions(bot, channel, refused).Contains("❌"), "the ❌ reaction");
        await bot.WaitUntilAsync(() => ReplyTo(bot, channel, refused) is not null, "the bot's reply");
        var reply = ReplyTo(bot, channel, refused)!;
        Assert.Contains("Not delivered to the customer", (string?)reply["content"]);
        Assert.Contains("4000", (string?)reply["content"]);
        Assert.True((bool)reply["author"]!["bot"]!); // from the bot, so never relayed to the customer
        Assert.Empty((await (await staff.GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body()).EnumerateArray());
    }

    [Fact]
    public async Task A_link_unfurl_does_not_edit_away_the_attachment_remark_and_a_real_edit_keeps_it()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var (staff, ticketId, channel) = await OpenTicketAsync(bot);
        var id = await bot.Fake.PostUserMessageAsync(channel, SupportAgent, "see https://example.org", [new FakeFile("a.png", [1, 2, 3])]);
        await bot.WaitForMessagesAsync(staff, ticketId, 1);

        await bot.Fake.UnfurlEmbedAsync(channel, id, "https://example.org");
        await bot.Fake.PostUserMessageAsync(channel, SupportAgent, "barrier"); // events are handled in order

        var messages = await bot.WaitForMessagesAsync(staff, ticketId, 2);
        Assert.Equal("see https://example.org\n(attachment not kept: a.png)", messages[0].Str("content"));

        await bot.Fake.EditUserMessageAsync(channel, id, "see https://example.com");
        await bot.WaitUntilAsync(() => bot.WaitForMessagesAsync(staff, ticketId, 2).Result[0].Str("content").Contains("example.com"), "the edit");
        Assert.Equal("see https://example.com\n(attachment not kept: a.png)", (await bot.WaitForMessagesAsync(staff, ticketId, 2))[0].Str("content"));
    }

    private static List<string> Reactions(DiscordBotHarness bot, ulong channel, ulong message) =>
        (bot.Fake.Store.MessagesIn(channel).SingleOrDefault(m => (string?)m["id"] == message.ToString())?["reactions"] as JsonArray ?? [])
            .Where(r => (bool?)r!["me"] == true).Select(r => (string)r!["emoji"]!["name"]!).ToList();

    private static JsonObject? ReplyTo(DiscordBotHarness bot, ulong channel, ulong message) =>
        bot.Fake.Store.MessagesIn(channel).FirstOrDefault(m => (string?)m["message_reference"]?["message_id"] == message.ToString());
}
