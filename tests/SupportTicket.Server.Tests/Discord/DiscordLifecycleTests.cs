extern alias fake;
using fake::SupportTicket.FakeDiscord;
using System.Text.Json.Nodes;
using fake::SupportTicket.FakeDiscord.Http;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Commands, typing, lost channels and reopening (store-independent, so SQLite only).</summary>
public sealed class DiscordLifecycleTests(SqliteDiscordBot fixture) : IClassFixture<SqliteDiscordBot>
{
    private DiscordBotHarness Bot => fixture.Bot;

    private async Task<(HttpClient Customer, TestUser Owner, string TicketId, ulong Channel)> OpenTicketAsync()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "gina");
        var customer = Bot.App.ClientFor(owner);
        var ticketId = (await customer.CreateTicket()).Str("id");
        return (customer, owner, ticketId, await Bot.WaitForChannelAsync(ticketId));
    }

    [Fact]
    public async Task Agent_typing_in_the_channel_shows_as_typing_in_the_widget()
    {
        var (_, owner, ticketId, channel) = await OpenTicketAsync();
        await using var widget = await Bot.WidgetAsync(owner, ticketId);

        await Bot.Fake.Gateway.DispatchAsync("TYPING_START", new JsonObject
        {
            ["channel_id"] = channel.ToString(), ["guild_id"] = Bot.Fake.GuildId.ToString(), ["user_id"] = Agent.ToString(),
            ["member"] = new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = Agent.ToString(), ["username"] = "hank" },
                ["nick"] = "Hank from support",
                ["roles"] = new JsonArray(SupportRole.ToString()),
            },
        });

        var typing = await widget.NextEventForAsync(ticketId, "typing", DiscordBotHarness.Timeout);
        Assert.Equal(("Hank from support", $"discord:{Agent}"), (typing.Payload.Str("username"), typing.Payload.Str("user_id")));
    }

    [Fact]
    public async Task Level_command_changes_the_level_and_the_channel_follows()
    {
        var (customer, _, ticketId, channel) = await OpenTicketAsync();
        var interaction = await Bot.Fake.CreateInteractionAsync(channel, Agent, [SupportRole], commandName: "level",
            options: new Dictionary<string, string> { ["level"] = "urgent" });

        await Bot.WaitUntilAsync(() => (string?)Bot.ChannelOf(ticketId)!["parent_id"] == Bot.UrgentCategoryId.ToString(), "the move");
        // Deferred at once, then the deferred reply is edited with the outcome.
        await Bot.WaitUntilAsync(() => ((string?)interaction.Response?["data"]?["content"])?.Contains("URGENT") == true, "the answer");
        Assert.Equal(1, interaction.Callbacks);
        Assert.Equal("URGENT", (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).Str("issue_level"));
    }

    [Fact]
    public async Task Close_command_asks_to_confirm_in_a_form_with_the_reason_and_closes_only_when_it_is_submitted()
    {
        var (customer, _, ticketId, channel) = await OpenTicketAsync();
        var agent = new FakeMember(Agent, [SupportRole]);
        var asked = await Bot.Fake.SubcommandAsync(channel, agent, "close", "now", new Dictionary<string, string> { ["reason"] = "duplicate of #12" });

        await Bot.WaitUntilAsync(() => asked.Callbacks > 0, "the close form");
        Assert.Equal(9, (int)asked.Response!["type"]!);
        var input = asked.Response["data"]!["components"]![0]!["components"]![0]!;
        Assert.Equal(("reason", "duplicate of #12"), ((string?)input["custom_id"], (string?)input["value"]));
        var formId = (string)asked.Response["data"]!["custom_id"]!;
        Assert.Equal("OPEN", (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).Str("status"));

        await Bot.Fake.SubmitModalAsync(channel, agent, formId, new Dictionary<string, string> { ["reason"] = "duplicate of #12, merged" });
        var ticket = await Bot.WaitForTicketAsync(customer, ticketId, t => t.Str("status") == "CLOSED");
        Assert.Equal("duplicate of #12, merged", ticket.GetProperty("close_reason").GetString());
    }

    [Fact]
    public async Task Close_button_opens_the_form_for_that_ticket_and_a_non_agent_cannot_submit_it()
    {
        var (customer, _, ticketId, channel) = await OpenTicketAsync();
        var clicked = await Bot.Fake.CreateInteractionAsync(channel, Agent, [SupportRole], customId: "st:close:" + ticketId);
        await Bot.WaitUntilAsync(() => clicked.Callbacks > 0, "the close form");
        Assert.Equal(9, (int)clicked.Response!["type"]!);
        Assert.Equal("st:closeform:" + ticketId, (string?)clicked.Response["data"]!["custom_id"]);

        var stranger = await Bot.Fake.SubmitModalAsync(channel, new FakeMember(Agent + 7, []), "st:closeform:" + ticketId,
            new Dictionary<string, string> { ["reason"] = "sneaky" });
        await Bot.WaitUntilAsync(() => stranger.Callbacks > 0, "the refusal");
        Assert.Equal(64, (int)stranger.Response!["data"]!["flags"]!);
        Assert.Equal("OPEN", (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).Str("status"));
    }

    [Fact]
    public async Task A_channel_deleted_by_hand_is_recreated_on_the_next_event_and_staff_are_told()
    {
        var (customer, _, ticketId, channel) = await OpenTicketAsync();
        JsonObject deleted;
        lock (Bot.Fake.Store.Gate)
        {
            deleted = Bot.Fake.Store.Channels[channel];
            Bot.Fake.Store.Channels.Remove(channel);
            // Discord deletes a channel's webhooks with it.
            foreach (var hook in Bot.Fake.Store.Webhooks.Values.Where(w => w.ChannelId == channel).ToList()) Bot.Fake.Store.Webhooks.Remove(hook.Id);
        }
        await Bot.Fake.Gateway.DispatchAsync("CHANNEL_DELETE", deleted);

        await customer.PostMessage(ticketId, "anyone there?");

        await Bot.WaitUntilAsync(() => Bot.ChannelOf(ticketId) is { } c && (string)c["id"]! != channel.ToString()
            && Bot.WebhookMessages(Bot.ChannelId(ticketId)).Count == 1, "the new channel with the message");
        var notice = Bot.Fake.Store.MessagesIn(Bot.ChannelId(ticketId)).First(m => m["webhook_id"] is null);
        Assert.Contains("deleted by hand", (string?)notice["content"]);
    }

    [Fact]
    public async Task Reopening_a_closed_ticket_gives_it_a_channel_again()
    {
        var (customer, _, ticketId, _) = await OpenTicketAsync();
        await customer.PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "solved" });
        await Bot.WaitUntilAsync(() => Bot.ChannelOf(ticketId) is null, "the channel's removal");

        await customer.PostJson($"/api/v1/tickets/{ticketId}/reopen", new { });

        var reopened = await Bot.WaitForChannelAsync(ticketId);
        Assert.Equal(Bot.Fake.GeneralCategoryId.ToString(), (string?)Bot.ChannelOf(ticketId)!["parent_id"]);
        // The bot's own delete on close is not taken for a channel deleted by hand: no notice to staff.
        Assert.DoesNotContain(Bot.Fake.Store.MessagesIn(reopened), m => ((string?)m["content"])?.Contains("deleted by hand") == true);
    }

    [Fact]
    public async Task A_message_in_a_thread_of_the_ticket_channel_becomes_an_internal_note()
    {
        var (customer, _, ticketId, channel) = await OpenTicketAsync();
        var thread = Bot.Fake.AddChannel("staff talk", 11, channel);
        await Bot.Fake.PostUserMessageAsync(thread, Agent, "customer seems upset", [SupportRole]);
        await Bot.Fake.PostUserMessageAsync(channel, Agent, "visible answer", [SupportRole]);

        var all = await Bot.WaitForMessagesAsync(Bot.App.ClientFor(Unique.Agent()), ticketId, 2);
        Assert.Equal([("customer seems upset", true), ("visible answer", false)],
            all.Select(m => (m.Str("content"), m.GetProperty("internal").GetBoolean())));
        var customerView = (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body()).EnumerateArray();
        Assert.Equal(["visible answer"], customerView.Select(m => m.Str("content")));
    }

    [Fact]
    public async Task Note_command_by_an_agent_becomes_an_internal_note_shown_in_the_channel()
    {
        var (_, _, ticketId, channel) = await OpenTicketAsync();
        var agent = Bot.App.ClientFor(Unique.Agent());
        await Bot.Fake.PostUserMessageAsync(channel, Agent, "!note customer called twice", [SupportRole]);

        var notes = await Bot.WaitForMessagesAsync(agent, ticketId, 1);
        Assert.True(notes[0].GetProperty("internal").GetBoolean());
        Assert.Equal($"discord:{Agent}", notes[0].Str("author_id"));
    }
}

/// <summary>Tests that need a harness of their own.</summary>
public sealed class DiscordHarnessTests
{
    [Fact]
    public async Task Unauthorized_stops_all_Discord_traffic_and_the_status_says_so()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        bot.Fake.InjectFault(new Fault(FaultKind.Unauthorized, "GET /guilds/{guild_id}/channels"));
        var customer = bot.App.ClientFor(Unique.Customer());
        await customer.CreateTicket("first");
        var admin = bot.App.ClientFor(Unique.Admin());
        await bot.WaitUntilAsync(() => admin.GetAsync("/api/v1/admin/discord").Result.Body().Result.GetProperty("unauthorized").GetBoolean(), "the stop");
        var before = bot.Fake.Requests.Count;

        var second = (await customer.CreateTicket("second")).Str("id");
        await Task.Delay(500);
        Assert.Equal(before, bot.Fake.Requests.Count);
        Assert.Null(bot.ChannelOf(second));
    }

    [Fact]
    public async Task With_archiving_a_closed_ticket_channel_moves_to_the_archive_read_only_and_back_on_reopen()
    {
        await using var bot = await DiscordBotHarness.StartAsync(settings: new Dictionary<string, string?> { ["Discord:ClosedChannels"] = "Archive" });
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        await bot.WaitForChannelAsync(ticketId);

        await customer.PostJson($"/api/v1/tickets/{ticketId}/close", new { });
        await bot.WaitUntilAsync(() => (string?)bot.ChannelOf(ticketId)!["parent_id"] == bot.Fake.ArchiveCategoryId.ToString(), "the archive");
        var role = bot.ChannelOf(ticketId)!["permission_overwrites"]!.AsArray().Single(o => (string)o!["id"]! == SupportRole.ToString())!;
        Assert.Equal("2048", (string?)role["deny"]); // SEND_MESSAGES

        await customer.PostJson($"/api/v1/tickets/{ticketId}/reopen", new { });
        await bot.WaitUntilAsync(() => (string?)bot.ChannelOf(ticketId)!["parent_id"] == bot.Fake.GeneralCategoryId.ToString(), "the restore");
    }
}
