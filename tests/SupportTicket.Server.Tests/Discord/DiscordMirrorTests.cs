extern alias fake;
using fake::SupportTicket.FakeDiscord;
using System.Text;
using System.Text.Json.Nodes;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>A conversation between a widget customer and an agent in Discord, end to end through the fake Discord.</summary>
public abstract class DiscordMirrorTests(DiscordBotFixture fixture)
{
    private DiscordBotHarness Bot => fixture.Bot;

    private async Task<(HttpClient Customer, string TicketId, ulong Channel)> OpenTicketAsync(string topic = "Cannot log in", TestUser? owner = null)
    {
        var customer = Bot.App.ClientFor(owner ?? TestUser.Customer(Unique.Id("cust"), "alice"));
        var ticketId = (await customer.CreateTicket(topic)).Str("id");
        return (customer, ticketId, await Bot.WaitForChannelAsync(ticketId));
    }

    [Fact]
    public async Task New_ticket_gets_a_private_channel_under_its_level_category_with_claim_and_close_buttons()
    {
        var (_, ticketId, _) = await OpenTicketAsync("Printer on fire");
        var channel = Bot.ChannelOf(ticketId)!;
        Assert.StartsWith("ticket-", (string)channel["name"]!);
        Assert.EndsWith("-printer-on-fire", (string)channel["name"]!);
        Assert.Equal(Bot.Fake.GeneralCategoryId.ToString(), (string?)channel["parent_id"]);
        var overwrites = channel["permission_overwrites"]!.AsArray().Select(o => (string)o!["id"]!).ToList();
        Assert.Contains(Bot.Fake.GuildId.ToString(), overwrites); // @everyone denied
        Assert.Contains(SupportRole.ToString(), overwrites);
        Assert.Contains(Bot.Fake.BotUserId.ToString(), overwrites);
        var opening = Bot.Fake.Store.MessagesIn(Bot.ChannelId(ticketId)).Single();
        Assert.Contains("Printer on fire", opening["embeds"]![0]!["title"]!.ToString());
        var buttons = opening["components"]![0]!["components"]!.AsArray().Select(b => (string)b!["label"]!).ToList();
        Assert.Equal(["Claim", "Close"], buttons);
    }

    [Fact]
    public async Task Customer_message_arrives_through_the_webhook_as_the_customer_and_pings_nobody()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        await customer.PostMessage(ticketId, "Help @everyone and <@&" + SupportRole + ">");

        await Bot.WaitUntilAsync(() => Bot.WebhookMessages(channel).Count == 1, "the webhook message");
        var posted = Bot.WebhookMessages(channel).Single();
        Assert.Equal("alice (customer)", (string?)posted["author"]!["username"]);
        var request = Bot.Fake.Requests.Last(r => r.Route.StartsWith("POST /webhooks/", StringComparison.Ordinal));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.DoesNotContain("@everyone", (string)posted["content"]!); // defused as well
    }

    [Fact]
    public async Task Agent_reply_typed_in_Discord_reaches_the_widget_live_with_its_seq()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "bob");
        var (_, ticketId, channel) = await OpenTicketAsync(owner: owner);
        await using var widget = await Bot.WidgetAsync(owner, ticketId);

        await Bot.Fake.PostUserMessageAsync(channel, Agent, "Hi, I am looking into it", [SupportRole]);

        var message = await widget.NextEventForAsync(ticketId, "message", DiscordBotHarness.Timeout);
        Assert.Equal("Hi, I am looking into it", message.Payload.Str("content"));
        Assert.Equal(("DISCORD", "AGENT", $"discord:{Agent}"), (message.Payload.Str("source"), message.Payload.Str("author_role"), message.Payload.Str("author_id")));
        Assert.Equal(1, message.Seq);
    }

    [Fact]
    public async Task Messages_of_bots_and_members_without_a_support_role_are_ignored()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "carol");
        var (_, ticketId, channel) = await OpenTicketAsync(owner: owner);
        await using var widget = await Bot.WidgetAsync(owner, ticketId);

        await Bot.Fake.PostUserMessageAsync(channel, Agent + 7, "not staff", []);
        await Bot.Fake.PostUserMessageAsync(channel, Agent, "staff", [SupportRole]);

        Assert.Equal("staff", (await widget.NextEventForAsync(ticketId, "message", DiscordBotHarness.Timeout)).Payload.Str("content"));
        await widget.AssertNoEventAsync("message", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Edit_and_delete_through_the_api_follow_in_Discord()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        var id = (await customer.PostMessage(ticketId, "first words")).Str("id");
        await Bot.WaitUntilAsync(() => Bot.WebhookMessages(channel).Count == 1, "the webhook message");

        await customer.PatchJson($"/api/v1/tickets/{ticketId}/messages/{id}", new { content = "better words" });
        await Bot.WaitUntilAsync(() => (string?)Bot.WebhookMessages(channel).Single()["content"] == "better words", "the edit");
        var edit = JsonNode.Parse(Bot.Fake.Requests.Last(r => r.Method == "PATCH" && r.Route.StartsWith("PATCH /webhooks/", StringComparison.Ordinal)).Body)!;
        Assert.Empty(edit["allowed_mentions"]!["parse"]!.AsArray());

        await customer.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{id}");
        await Bot.WaitUntilAsync(() => Bot.WebhookMessages(channel).Count == 0, "the delete");
    }

    [Fact]
    public async Task Edit_and_delete_in_Discord_follow_in_the_ticket()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "dan");
        var (_, ticketId, channel) = await OpenTicketAsync(owner: owner);
        await using var widget = await Bot.WidgetAsync(owner, ticketId);
        var discordId = await Bot.Fake.PostUserMessageAsync(channel, Agent, "typo hre", [SupportRole]);
        var posted = await widget.NextEventForAsync(ticketId, "message", DiscordBotHarness.Timeout);

        await Bot.Fake.EditUserMessageAsync(channel, discordId, "typo here");
        var edited = await widget.NextEventForAsync(ticketId, "edit_message", DiscordBotHarness.Timeout);
        Assert.Equal((posted.Payload.Str("id"), "typo here"), (edited.Payload.Str("id"), edited.Payload.Str("content")));

        await Bot.Fake.DeleteUserMessageAsync(channel, discordId);
        var deleted = await widget.NextEventForAsync(ticketId, "delete_message", DiscordBotHarness.Timeout);
        Assert.Equal(posted.Payload.Str("id"), deleted.Payload.Str("id"));
    }

    [Fact]
    public async Task Internal_notes_show_marked_in_Discord_and_a_prefixed_Discord_message_becomes_a_note_the_customer_never_sees()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "erin");
        var (customer, ticketId, channel) = await OpenTicketAsync(owner: owner);
        var agent = Bot.App.ClientFor(Unique.Agent());
        await agent.PostMessage(ticketId, "customer is on the legacy plan", @internal: true);
        await Bot.WaitUntilAsync(() => Bot.Fake.Store.MessagesIn(channel).Any(m => ((string?)m["content"])?.Contains("Internal note") == true), "the note");
        Assert.Empty(Bot.WebhookMessages(channel)); // the bot posts notes itself, never as the webhook

        await Bot.Fake.PostUserMessageAsync(channel, Agent, "!note refund approved", [SupportRole]);
        var staffView = await Bot.WaitForMessagesAsync(agent, ticketId, 2);
        Assert.True(staffView[1].GetProperty("internal").GetBoolean());
        Assert.Equal("refund approved", staffView[1].Str("content"));
        var customerView = (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body()).EnumerateArray().ToList();
        Assert.Empty(customerView);
    }

    [Fact]
    public async Task Claim_button_assigns_the_ticket_to_the_agent_and_sets_it_in_progress()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        var interaction = await Bot.Fake.CreateInteractionAsync(channel, Agent, [SupportRole], customId: "st:claim:" + ticketId);

        await Bot.WaitUntilAsync(() => interaction.Callbacks > 0, "the interaction's acknowledgement");
        var ticket = await Bot.WaitForTicketAsync(customer, ticketId, t => t.Str("status") == "IN_PROGRESS");
        Assert.Equal($"discord:{Agent}", ticket.Str("assignee_id"));
    }

    [Fact]
    public async Task Claim_by_a_member_without_a_support_role_is_refused_ephemerally()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        var interaction = await Bot.Fake.CreateInteractionAsync(channel, Agent + 9, [], customId: "st:claim:" + ticketId);

        await Bot.WaitUntilAsync(() => interaction.Callbacks > 0, "the refusal");
        Assert.Equal(64, (int)interaction.Response!["data"]!["flags"]!);
        Assert.Equal("OPEN", (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).Str("status"));
    }

    [Fact]
    public async Task Level_change_moves_the_channel_to_the_category_of_the_new_level()
    {
        var (_, ticketId, _) = await OpenTicketAsync();
        var agent = Bot.App.ClientFor(Unique.Agent());
        await agent.PatchJson($"/api/v1/tickets/{ticketId}", new { issue_level = "CRITICAL" });

        await Bot.WaitUntilAsync(() => (string?)Bot.ChannelOf(ticketId)!["parent_id"] == Bot.CriticalCategoryId.ToString(), "the move");
        Assert.DoesNotContain(Bot.Fake.Requests, r => r.Route == "PATCH /channels/{channel_id}"
            && Encoding.UTF8.GetString(r.Body).Contains("\"name\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Close_from_Discord_pushes_ticket_closed_to_the_widget_and_posts_an_html_transcript()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "frank");
        var (customer, ticketId, channel) = await OpenTicketAsync("Broken <b>invoice</b>", owner);
        await customer.PostMessage(ticketId, "my invoice is wrong");
        await using var widget = await Bot.WidgetAsync(owner, ticketId);

        await Bot.Fake.SubmitModalAsync(channel, new FakeMember(Agent, [SupportRole]), "st:closeform:" + ticketId, new Dictionary<string, string> { ["reason"] = "solved" });

        var closed = await widget.NextEventForAsync(ticketId, "ticket_closed", DiscordBotHarness.Timeout);
        Assert.Equal("CLOSED", closed.Payload.Str("status"));
        await Bot.WaitUntilAsync(() => TranscriptOf(ticketId) is not null, "the transcript");
        var html = TranscriptOf(ticketId)!;
        Assert.Contains("my invoice is wrong", html);
        Assert.Contains("Broken &lt;b&gt;invoice&lt;/b&gt;", html);
        Assert.DoesNotContain("<script", html);
        await Bot.WaitUntilAsync(() => Bot.ChannelOf(ticketId) is null, "the channel's removal");
    }

    private string? TranscriptOf(string ticketId)
    {
        lock (Bot.Fake.Store.Gate)
            return Bot.Fake.Store.Uploads.Select(u => Encoding.UTF8.GetString(u.Content)).FirstOrDefault(h => h.Contains(ticketId, StringComparison.Ordinal));
    }
}

public sealed class SqliteDiscordMirrorTests(SqliteDiscordBot fixture) : DiscordMirrorTests(fixture), IClassFixture<SqliteDiscordBot>;

public sealed class PostgresDiscordMirrorTests(PostgresDiscordBot fixture) : DiscordMirrorTests(fixture), IClassFixture<PostgresDiscordBot>;
