using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Names customers chose cannot hide or fake the role label agents rely on (#23.7).</summary>
public sealed class DiscordDisplayNameTests(SqliteDiscordBot fixture) : IClassFixture<SqliteDiscordBot>
{
    private DiscordBotHarness Bot => fixture.Bot;

    [Fact]
    public async Task A_name_padded_with_blank_characters_keeps_its_customer_label_in_the_webhook_name_and_the_card()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "Sam (admin)" + new string('\u2800', 75));
        var customer = Bot.App.ClientFor(owner);
        var ticketId = (await customer.CreateTicket("Spoof")).Str("id");
        var channel = await Bot.WaitForChannelAsync(ticketId);

        await customer.PostMessage(ticketId, "hello");

        await Bot.WaitUntilAsync(() => Bot.WebhookMessages(channel).Count == 1, "the webhook message");
        Assert.Equal("Sam (admin) (customer)", (string?)Bot.WebhookMessages(channel).Single()["author"]!["username"]);
        var card = Bot.Fake.Store.MessagesIn(channel).First(m => m["webhook_id"] is null);
        var field = card["embeds"]![0]!["fields"]!.AsArray().Single(f => (string?)f!["name"] == "Customer")!;
        Assert.Equal("Sam (admin) (CUSTOMER)", (string?)field["value"]);
    }

    [Fact]
    public async Task Zero_width_and_direction_changing_characters_are_removed_from_the_webhook_name()
    {
        var owner = TestUser.Customer(Unique.Id("cust"), "Ev\u200Be\u202E nimda\u202C\u2066\u2069");
        var customer = Bot.App.ClientFor(owner);
        var ticketId = (await customer.CreateTicket("Bidi")).Str("id");
        var channel = await Bot.WaitForChannelAsync(ticketId);

        await customer.PostMessage(ticketId, "hello");

        await Bot.WaitUntilAsync(() => Bot.WebhookMessages(channel).Count == 1, "the webhook message");
        Assert.Equal("Eve nimda (customer)", (string?)Bot.WebhookMessages(channel).Single()["author"]!["username"]);
    }
}

public sealed class TranscriptNameTests
{
    [Fact]
    public void The_transcript_shows_names_without_invisible_or_direction_changing_characters()
    {
        var ticket = new SupportTicket.Server.Tickets.Ticket { Id = "t1", Number = 1, Username = "Mal\u202Eory\u2800\u2800", UserRole = "CUSTOMER", Topic = "x", Description = "y" };
        var message = new SupportTicket.Server.Messages.Message { Id = "m1", TicketId = "t1", Seq = 1, AuthorName = "Sam\u200B (admin)\u2066", AuthorRole = "CUSTOMER", Content = "hi" };

        var html = Assert.Single(SupportTicket.Server.Discord.TranscriptBuilder.Build(ticket, [message]));

        Assert.Contains("<b>Sam (admin)</b>", html);
        Assert.Contains("Malory", html);
        Assert.DoesNotContain('\u202E', html);
        Assert.DoesNotContain('\u2800', html);
    }
}
