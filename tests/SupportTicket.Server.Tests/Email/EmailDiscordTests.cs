using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SupportTicket.Server.Email;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Discord;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Email;

/// <summary>
/// A customer's emailed reply, end to end: smtp4dev's SMTP files it in the IMAP mailbox the server reads, the server
/// posts it, and it reaches the widget and the ticket's channel in the fake Discord once, also after a restart that
/// reads the whole mailbox again.
/// </summary>
public abstract class EmailDiscordTests(Store store)
{
    [Fact]
    public async Task An_emailed_reply_appears_in_the_widget_and_in_Discord_once_even_after_a_restart()
    {
        var replyAddress = $"support-{Guid.NewGuid():N}@st-test.example";
        var settings = MailServer.Settings(replies: true, replyAddress: replyAddress);
        settings["Email:PollSeconds"] = "1";
        await using var bot = await DiscordBotHarness.StartAsync(store, settings: settings);
        var customer = Unique.Customer();
        var address = $"{customer.Id}@example.com";
        var ticketId = (await bot.App.ClientFor(customer).CreateTicket("Shipping to Norway")).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        await using var widget = await bot.WidgetAsync(customer, ticketId);
        var to = (await bot.App.Services.GetRequiredService<EmailSigner>().ReplyAddressAsync(ticketId, default))!;

        var reply = InboundMail.Reply(address, to, "Is Oslo covered?\n\nOn Mon, Support wrote:\n> Where should it go?\n", "Re: [#1] New reply: Shipping to Norway");
        await MailServer.SendAsync(reply);

        var heard = await widget.NextEventForAsync(ticketId, "message", DiscordBotHarness.Timeout);
        Assert.Equal(("Is Oslo covered?", customer.Id), (heard.Payload.Str("content"), heard.Payload.Str("author_id")));
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 1, "the emailed reply in Discord");
        Assert.Equal("Is Oslo covered?", (string?)bot.WebhookMessages(channel).Single()["content"]);

        // A new server reads the mailbox from its first mail again; once it has recorded a later mail, it has
        // passed the reply too.
        await bot.StopAppAsync();
        await bot.StartAgainAsync();
        var marker = InboundMail.Reply(address, to, "marker", "Re: [#1] New reply: Shipping to Norway");
        marker.Headers.Add("Auto-Submitted", "auto-replied");
        await MailServer.SendAsync(marker);
        await Eventually.UntilAsync(() => InboundMail.Outcome(bot.App, marker.MessageId!) is not null, "the marker mail recorded", DiscordBotHarness.Timeout);

        Assert.Equal("posted", InboundMail.Outcome(bot.App, reply.MessageId!));
        var messages = await (await bot.App.ClientFor(customer).GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body();
        Assert.Equal(["Is Oslo covered?"], messages.EnumerateArray().Select(m => m.Str("content")));
        await Task.Delay(1000); // the outbox polls every 100 ms: a second relay would have been posted by now
        Assert.Single(bot.WebhookMessages(channel));
    }
}

public sealed class SqliteEmailDiscordTests() : EmailDiscordTests(Store.Sqlite);
public sealed class PostgresEmailDiscordTests() : EmailDiscordTests(Store.Postgres);
