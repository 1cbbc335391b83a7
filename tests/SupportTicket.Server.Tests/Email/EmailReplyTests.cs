using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SupportTicket.Server.Email;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Email;

/// <summary>
/// Replies by mail through smtp4dev: the customer's reply is sent over its SMTP, which files it in the IMAP mailbox
/// the server reads (smtp4dev cannot APPEND, and need not).
/// </summary>
public abstract class EmailReplyTests(Store store)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_reply_to_the_digest_lands_once_as_the_customers_message_even_with_two_nodes_reading()
    {
        var replyAddress = $"support-{Guid.NewGuid():N}@st-test.example";
        using var app = new MailApp(store, MailServer.Settings(replies: true, replyAddress: replyAddress));
        var customer = Unique.Customer();
        var address = $"{customer.Id}@example.com";
        var ticketId = (await app.ClientFor(customer).CreateTicket("Password reset")).Str("id");
        await app.ClientFor(Unique.Agent()).PostMessage(ticketId, "Did the reset link work?");
        var digest = (await app.AdvanceUntilAsync(async () => await MailServer.MailsToAsync(address) is { Count: > 0 } m ? m : null, Step)).Single();
        var settings = MailServer.Settings(replies: true, replyAddress: replyAddress);
        settings["Storage:DatabaseUrl"] = app.DatabaseUrl;
        // Two nodes reading one mailbox: on SQLite both read (each is its own leader), so the Message-ID row decides.
        // On PostgreSQL only the lease holder reads, which the cluster tests cover; one node here.
        using var second = store == Store.Sqlite ? new MailApp(store, settings) : null;
        await using var hub = await HubClient.AuthorizedAsync(app, customer);
        await using var hub2 = second is null ? null : await HubClient.AuthorizedAsync(second, customer);

        var reply = new MimeMessage();
        reply.From.Add(MailboxAddress.Parse(address));
        reply.To.AddRange(digest.ReplyTo);
        reply.Subject = "Re: " + digest.Subject;
        reply.InReplyTo = digest.MessageId;
        var body = new BodyBuilder
        {
            TextBody = "Yes, that worked.\n\nThanks!\n\n-- \nJane, sent from the shop\n\nOn Mon, Dec 7, 2026 at 10:00 Support <support@st-test.example> wrote:\n> Did the reset link work?\n",
        };
        body.Attachments.Add("screenshot.txt", "all good"u8.ToArray());
        reply.Body = body.ToMessageBody();
        await MailServer.SendAsync(reply);

        // Whichever node claims the mail posts it (SQLite: both read; PostgreSQL: the lease holder); without Redis its
        // hub event stays on that node, so exactly one of the two connections hears it.
        var posted = (await app.AdvanceUntilAsync(async () =>
        {
            second?.Clock.Advance(TimeSpan.FromSeconds(1));
            var list = await (await app.ClientFor(customer).GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body();
            return list.GetArrayLength() == 2 ? list[1] : (System.Text.Json.JsonElement?)null;
        }, TimeSpan.FromSeconds(1))).GetValueOrDefault();
        Assert.Equal("Yes, that worked.\n\nThanks!", posted.Str("content"));
        Assert.Equal(customer.Id, posted.Str("author_id"));
        var link = Assert.Single(posted.GetProperty("attachments").EnumerateArray()).GetString()!;
        Assert.StartsWith("http://st.example/api/v1/attachments/", link);
        var file = await app.ClientFor(customer).GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal("all good", await file.Content.ReadAsStringAsync());

        // Both nodes have read past it once a later mail is recorded by both: still exactly one message.
        var marker = new MimeMessage { MessageId = $"marker.{Guid.NewGuid():N}@example.com", Subject = "marker" };
        marker.From.Add(MailboxAddress.Parse(address));
        marker.To.Add(MailboxAddress.Parse(replyAddress));
        marker.Headers.Add("Auto-Submitted", "auto-replied");
        marker.Body = new TextPart("plain") { Text = "away" };
        await MailServer.SendAsync(marker);
        await app.AdvanceUntilAsync(async () => await InboundAsync(app, marker.MessageId) is { } row ? row : null, Step);
        if (second is not null) await second.AdvanceUntilAsync(async () => await InboundAsync(second, marker.MessageId) is { } row ? row : null, Step);
        var messages = await (await app.ClientFor(customer).GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body();
        Assert.Equal(2, messages.GetArrayLength());
        var heard = hub.Pending().Concat(hub2?.Pending() ?? []).Where(e => e.Name == "message" && e.TicketId == ticketId).ToList();
        Assert.Equal(posted.Str("id"), Assert.Single(heard).Payload.Str("id"));
    }

    [Fact]
    public async Task Bad_mail_stores_nothing_and_only_refusals_get_one_short_answer()
    {
        using var app = new MailApp(store, MailServer.Settings(replies: true));
        var owner = Unique.Customer();
        var other = Unique.Customer();
        var ownerAddress = $"{owner.Id}@example.com";
        var stranger = $"stranger-{Guid.NewGuid():N}@example.com";
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        await app.ClientFor(Unique.Agent()).PostMessage(ticketId, "Answer");
        await app.ClientFor(other).CreateTicket();
        var closedId = (await app.ClientFor(owner).CreateTicket("Old")).Str("id");
        await app.ClientFor(owner).PostJson($"/api/v1/tickets/{closedId}/close", new { });
        var signer = app.Services.GetRequiredService<EmailSigner>();
        var valid = (await signer.ReplyAddressAsync(ticketId, default))!.Address;
        var forgedSig = valid[..(valid.IndexOf('@') - 4)] + "0000" + valid[valid.IndexOf('@')..];

        var sent = new List<MimeMessage>
        {
            Mail(stranger, valid, "I am not the owner"),                                      // forged sender
            Mail($"{other.Id}@example.com", valid, "Another customer's ticket"),              // valid signature, wrong customer
            Mail(ownerAddress, forgedSig, "Bad signature"),                                   // refused
            Mail(ownerAddress, valid, "Out of office", ("Auto-Submitted", "auto-replied")),   // loop
            Mail(ownerAddress, valid, "List mail", ("Precedence", "bulk")),                   // loop
            Mail(ownerAddress, valid, new string('x', 4_100)),                                // refused: too long
            Mail(ownerAddress, (await signer.ReplyAddressAsync(closedId, default))!.Address, "Reopen?"), // refused: closed
        };
        var big = Mail(ownerAddress, valid, "See attached");
        var builder = new BodyBuilder { TextBody = "See attached" };
        builder.Attachments.Add("huge.bin", new byte[ReplyIntake.MaxAttachmentBytes + 1]);
        big.Body = builder.ToMessageBody();
        sent.Add(big);                                                                         // refused: attachment over the limit
        foreach (var mail in sent) await MailServer.SendAsync(mail);
        var malformedId = $"malformed.{Guid.NewGuid():N}@example.com";
        await SendRawAsync($"Message-ID: <{malformedId}>\r\nTo: {valid}\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n\u0000garbage");

        var ids = sent.Select(m => m.MessageId!).Append(malformedId).ToList();
        await app.AdvanceUntilAsync(async () => await InboundCountAsync(app, ids) == ids.Count ? (object)true : null, Step);
        // Four refusals reach the owner, once each; the stranger and the other customer get nothing.
        var refusals = await app.AdvanceUntilAsync(async () =>
            (await MailServer.MailsToAsync(ownerAddress)).Where(m => m.Headers["Auto-Submitted"] == "auto-replied").ToList() is { Count: >= 4 } r ? r : null, Step);
        for (var i = 0; i < 6; i++) app.Clock.Advance(Step);
        await Task.Delay(1000);
        Assert.Equal(4, (await MailServer.MailsToAsync(ownerAddress)).Count(m => m.Headers["Auto-Submitted"] == "auto-replied"));
        Assert.All(refusals, r => Assert.True(r.TextBody!.Length < 300));
        Assert.Empty(await MailServer.MailsToAsync(stranger));
        Assert.Empty(await MailServer.MailsToAsync($"{other.Id}@example.com"));

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.TicketId == ticketId));
        Assert.Equal(0, await db.Messages.CountAsync(m => m.TicketId == closedId));
        Assert.Equal(0, await db.Attachments.CountAsync(a => a.TicketId == ticketId));
        var outcomes = await db.EmailInbound.Where(i => ids.Contains(i.MessageId)).ToDictionaryAsync(i => i.MessageId, i => i.Outcome);
        Assert.All(outcomes.Values, o => Assert.False(o.StartsWith("posted")));
    }

    private static MimeMessage Mail(string from, string to, string text, params (string Name, string Value)[] headers)
    {
        var mail = new MimeMessage { MessageId = $"test.{Guid.NewGuid():N}@example.com", Subject = "Re: your ticket" };
        mail.From.Add(MailboxAddress.Parse(from));
        mail.To.Add(MailboxAddress.Parse(to));
        foreach (var (name, value) in headers) mail.Headers.Add(name, value);
        mail.Body = new TextPart("plain") { Text = text };
        return mail;
    }

    private static async Task SendRawAsync(string data)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(MailServer.Smtp.Host, MailServer.Smtp.Port);
        using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream);
        var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
        async Task Say(string line) { await writer.WriteLineAsync(line); await reader.ReadLineAsync(); }
        await reader.ReadLineAsync();
        await writer.WriteLineAsync("EHLO test");
        while ((await reader.ReadLineAsync())?.StartsWith("250-") == true) { }
        await Say("MAIL FROM:<>");
        await Say("RCPT TO:<someone@st-test.example>");
        await Say("DATA");
        await writer.WriteAsync(data + "\r\n.\r\n");
        await reader.ReadLineAsync();
        await Say("QUIT");
    }

    private static async Task<EmailInbound?> InboundAsync(TestApp app, string messageId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().EmailInbound.FirstOrDefaultAsync(i => i.MessageId == messageId);
    }

    private static async Task<int> InboundCountAsync(TestApp app, List<string> ids)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().EmailInbound.CountAsync(i => ids.Contains(i.MessageId));
    }
}

public sealed class SqliteEmailReplyTests() : EmailReplyTests(Store.Sqlite);
public sealed class PostgresEmailReplyTests() : EmailReplyTests(Store.Postgres);
