extern alias fake;
using System.Text.Json.Nodes;
using fake::SupportTicket.FakeDiscord;
using fake::SupportTicket.FakeDiscord.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Claim, take over, unclaim, transfer, canned replies, the ticket lists, stats and close requests from Discord (#28).</summary>
public sealed class DiscordAgentWorkflowTests(SqliteDiscordBot fixture) : IClassFixture<SqliteDiscordBot>
{
    private static readonly FakeMember Ann = new(Agent, [SupportRole], "ann");
    private static readonly FakeMember Bob = new(Agent + 1, [SupportRole], "bob");
    private DiscordBotHarness Bot => fixture.Bot;

    private async Task<(HttpClient Customer, string TicketId, ulong Channel)> OpenTicketAsync(string? level = null)
    {
        var customer = Bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "gina"));
        var ticketId = (await customer.CreateTicket("Refund please", level)).Str("id");
        return (customer, ticketId, await Bot.WaitForChannelAsync(ticketId));
    }

    private async Task<JsonNode> AnswerAsync(FakeInteraction interaction, string what)
    {
        // The deferred reply (type 5) is edited into the answer (type 4, with content).
        await Bot.WaitUntilAsync(() => interaction.Response?["data"]?["content"] is not null, what);
        return interaction.Response!["data"]!;
    }

    private string? CardAssignee(ulong channel)
    {
        lock (Bot.Fake.Store.Gate)
            return Bot.Fake.Store.MessagesIn(channel).Where(m => m["embeds"] is JsonArray { Count: > 0 }).Select(m =>
                (string?)m["embeds"]![0]!["fields"]!.AsArray().First(f => (string?)f!["name"] == "Assignee")!["value"]).FirstOrDefault();
    }

    [Fact]
    public async Task Claim_asks_before_taking_over_unclaim_is_for_the_holder_and_the_card_mentions_the_assignee()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, Ann, 2, new JsonObject { ["name"] = "claim", ["type"] = 1 }), "ann's claim");
        await Bot.WaitUntilAsync(() => CardAssignee(channel) == $"<@{Ann.UserId}>", "the card to name ann");

        var asked = await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, Bob, 2, new JsonObject { ["name"] = "claim", ["type"] = 1 }), "bob's question");
        Assert.Contains($"held by <@{Ann.UserId}>", (string)asked["content"]!);
        var button = asked["components"]![0]!["components"]![0]!;
        Assert.Equal("st:takeover:" + ticketId, (string?)button["custom_id"]);
        Assert.Equal($"discord:{Ann.UserId}", (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).Str("assignee_id"));

        var annUnclaimsNothing = await Bot.Fake.CreateInteractionAsync(channel, Bob, 2, new JsonObject { ["name"] = "unclaim", ["type"] = 1 });
        Assert.Contains("only they or an admin", (string)(await AnswerAsync(annUnclaimsNothing, "the refusal"))["content"]!);

        await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, Bob, 3, new JsonObject { ["custom_id"] = (string)button["custom_id"]!, ["component_type"] = 2 }), "the take-over");
        var taken = await Bot.WaitForTicketAsync(customer, ticketId, t => t.Str("assignee_id") == $"discord:{Bob.UserId}");
        Assert.Equal("IN_PROGRESS", taken.Str("status"));
        await Bot.WaitUntilAsync(() => CardAssignee(channel) == $"<@{Bob.UserId}>", "the card to name bob");

        await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, Bob, 2, new JsonObject { ["name"] = "unclaim", ["type"] = 1 }), "bob's unclaim");
        var free = await Bot.WaitForTicketAsync(customer, ticketId, t => t.GetProperty("assignee_id").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal("OPEN", free.Str("status"));
        await Bot.WaitUntilAsync(() => CardAssignee(channel) == "nobody", "the card to say nobody");
    }

    [Fact]
    public async Task Transfer_to_a_non_staff_member_is_refused_ephemerally_and_to_an_agent_assigns_them()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        var outsider = new FakeMember(Agent + 50, [], "visitor");
        Bot.Fake.AddMember(outsider);
        Bot.Fake.AddMember(Bob);

        var refused = await Bot.Fake.UserOptionCommandAsync(channel, Ann, "transfer", "agent", outsider.UserId);
        await Bot.WaitUntilAsync(() => refused.Callbacks > 0, "the refusal");
        Assert.Equal((4, 64), ((int)refused.Response!["type"]!, (int)refused.Response["data"]!["flags"]!));
        Assert.Contains("is not staff", (string)refused.Response["data"]!["content"]!);
        Assert.Equal(System.Text.Json.JsonValueKind.Null,
            (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).GetProperty("assignee_id").ValueKind);

        var moved = await Bot.Fake.UserOptionCommandAsync(channel, Ann, "transfer", "agent", Bob.UserId);
        Assert.Contains($"to <@{Bob.UserId}>", (string)(await AnswerAsync(moved, "the transfer"))["content"]!);
        var ticket = await Bot.WaitForTicketAsync(customer, ticketId, t => t.GetProperty("assignee_id").ValueKind == System.Text.Json.JsonValueKind.String);
        Assert.Equal($"discord:{Bob.UserId}", ticket.Str("assignee_id"));
    }

    [Fact]
    public async Task Reply_suggests_canned_responses_for_the_level_and_sends_the_filled_in_text_through_the_message_path()
    {
        var admin = Bot.App.ClientFor(Unique.Admin());
        var stem = Unique.Id("refund");
        Assert.Equal(201, (int)(await admin.PostJson("/api/v1/canned-responses",
            new { name = stem + "-ok", body = "Hi {{customer_name}}, {{agent_name}} here: ticket #{{ticket_number}} is refunded." })).StatusCode);
        Assert.Equal(201, (int)(await admin.PostJson("/api/v1/canned-responses", new { name = stem + "-urgent", body = "On it.", level = "URGENT" })).StatusCode);
        var (customer, ticketId, channel) = await OpenTicketAsync();

        var typing = await Bot.Fake.AutocompleteAsync(channel, Ann, "reply", "name", stem);
        await Bot.WaitUntilAsync(() => typing.Callbacks > 0, "the choices");
        Assert.Equal(8, (int)typing.Response!["type"]!);
        var choices = typing.Response["data"]!["choices"]!.AsArray().Select(c => (string)c!["value"]!).ToList();
        Assert.Equal([stem + "-ok"], choices); // the URGENT one is not offered on a NORMAL ticket

        var sent = await Bot.Fake.CreateInteractionAsync(channel, Ann, 2, new JsonObject
        {
            ["name"] = "reply", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "name", ["type"] = 3, ["value"] = stem + "-ok" }),
        });
        var answer = await AnswerAsync(sent, "the reply's confirmation");
        Assert.Equal(64, (int)sent.Response!["data"]!["flags"]!);
        Assert.Contains("Sent", (string)answer["content"]!);

        var number = (await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body()).GetProperty("number").GetInt64();
        var expected = $"Hi gina, ann here: ticket #{number} is refunded.";
        var message = (await Bot.WaitForMessagesAsync(customer, ticketId, 1)).Single();
        Assert.Equal((expected, $"discord:{Ann.UserId}", "DISCORD"), (message.Str("content"), message.Str("author_id"), message.Str("source")));
        // Relayed like any agent message written outside Discord: through the outbox and the channel's webhook.
        await Bot.WaitUntilAsync(() => Bot.WebhookMessages(channel).Any(m => (string?)m["content"] == expected), "the relayed reply");

        var unknown = await Bot.Fake.CreateInteractionAsync(channel, Ann, 2, new JsonObject
        {
            ["name"] = "reply", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "name", ["type"] = 3, ["value"] = "no-such-reply" }),
        });
        Assert.Contains("no canned response", (string)(await AnswerAsync(unknown, "the refusal"))["content"]!);
        Assert.Single(await Bot.WaitForMessagesAsync(customer, ticketId, 1));
    }

    [Fact]
    public async Task Tickets_mine_and_unassigned_list_open_tickets_with_their_channels()
    {
        var (customer, mineId, mineChannel) = await OpenTicketAsync();
        var (_, freeId, freeChannel) = await OpenTicketAsync();
        var carl = new FakeMember(Agent + 3, [SupportRole], "carl");
        await AnswerAsync(await Bot.Fake.CreateInteractionAsync(mineChannel, carl, 2, new JsonObject { ["name"] = "claim", ["type"] = 1 }), "the claim");
        await Bot.WaitForTicketAsync(customer, mineId, t => t.GetProperty("assignee_id").ValueKind == System.Text.Json.JsonValueKind.String);

        var mine = (string)(await AnswerAsync(await Bot.Fake.SubcommandAsync(freeChannel, carl, "tickets", "mine"), "the list"))["content"]!;
        Assert.Contains($"<#{mineChannel}>", mine);
        Assert.DoesNotContain($"<#{freeChannel}>", mine);
        var free = (string)(await AnswerAsync(await Bot.Fake.SubcommandAsync(mineChannel, carl, "tickets", "unassigned"), "the list"))["content"]!;
        Assert.Contains($"<#{freeChannel}>", free);
        Assert.DoesNotContain($"<#{mineChannel}>", free);
        Assert.NotNull(freeId);
    }

    [Fact]
    public async Task Tickets_due_lists_a_ticket_about_to_miss_its_sla_with_its_channel()
    {
        var (_, dueId, dueChannel) = await OpenTicketAsync();
        var (_, _, laterChannel) = await OpenTicketAsync();
        using (var scope = Bot.App.Services.CreateScope())
        {
            var soon = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600;
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.Where(t => t.Id == dueId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaFirstResponseDueAt, soon));
        }

        var due = await Bot.Fake.SubcommandAsync(laterChannel, Ann, "tickets", "due");
        var text = (string)(await AnswerAsync(due, "the due list"))["content"]!;
        Assert.Equal(64, (int)due.Response!["data"]!["flags"]!);
        Assert.Contains($"<#{dueChannel}>", text);
        Assert.DoesNotContain($"<#{laterChannel}>", text);
    }

    [Fact]
    public async Task Stats_me_counts_the_agents_own_tickets_and_team_counts_everyones()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        var dana = new FakeMember(Agent + 7, [SupportRole], "dana");
        await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, dana, 2, new JsonObject { ["name"] = "claim", ["type"] = 1 }), "the claim");
        await Bot.WaitForTicketAsync(customer, ticketId, t => t.GetProperty("assignee_id").ValueKind == System.Text.Json.JsonValueKind.String);

        var mine = (string)(await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, dana, 2, new JsonObject { ["name"] = "stats", ["type"] = 1 }), "my stats"))["content"]!;
        Assert.Contains("Your stats, last 7 days", mine);
        Assert.Contains("Opened 1 · Closed 0", mine);
        Assert.Contains("CSAT – (0)", mine);
        var team = (string)(await AnswerAsync(await Bot.Fake.CreateInteractionAsync(channel, dana, 2, new JsonObject
        {
            ["name"] = "stats", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "scope", ["type"] = 3, ["value"] = "team" }),
        }), "team stats"))["content"]!;
        Assert.Contains("Team stats", team);
        var opened = int.Parse(System.Text.RegularExpressions.Regex.Match(team, @"Opened (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(opened >= 1, team);
    }

    [Fact]
    public async Task Stats_scope_is_a_choice_of_me_or_team_and_anything_else_is_refused_at_once()
    {
        JsonNode? Scope()
        {
            lock (Bot.Fake.Store.Gate)
                return Bot.Fake.Store.GuildCommands.FirstOrDefault(c => (string?)c!["name"] == "stats")?["options"]?[0]?.DeepClone();
        }
        await Bot.WaitUntilAsync(() => Scope() is not null, "the registered commands");
        Assert.Equal(["me", "team"], Scope()!["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        var (_, _, channel) = await OpenTicketAsync();

        var bad = await Bot.Fake.CreateInteractionAsync(channel, Ann, 2, new JsonObject
        {
            ["name"] = "stats", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "scope", ["type"] = 3, ["value"] = "everyone" }),
        });
        await Bot.WaitUntilAsync(() => bad.Callbacks > 0, "the refusal");

        Assert.Equal((4, 64), ((int)bad.Response!["type"]!, (int)bad.Response["data"]!["flags"]!));
        Assert.Contains("`me` or `team`", (string)bad.Response["data"]!["content"]!);
    }

    [Fact]
    public async Task Close_request_asks_the_customer_and_a_second_one_is_refused()
    {
        var (customer, ticketId, channel) = await OpenTicketAsync();
        var asked = await Bot.Fake.SubcommandAsync(channel, Ann, "close", "request", new Dictionary<string, string> { ["reason"] = "fixed in 2.1" });
        Assert.Contains("asked the customer to close", (string)(await AnswerAsync(asked, "the request answer"))["content"]!);
        var ticket = await (await customer.GetAsync($"/api/v1/tickets/{ticketId}")).Body();
        Assert.Equal("OPEN", ticket.Str("status"));
        Assert.Equal("fixed in 2.1", ticket.GetProperty("close_request").Str("reason"));

        var again = await Bot.Fake.SubcommandAsync(channel, Ann, "close", "request");
        Assert.Contains("already has a pending close request", (string)(await AnswerAsync(again, "the refusal"))["content"]!);
    }
}
