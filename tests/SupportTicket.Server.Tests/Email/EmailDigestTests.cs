using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Email;

/// <summary>Reply digests, close mails and unsubscribing, through smtp4dev; the reply delay runs on a fake clock.</summary>
public abstract class EmailDigestTests(Store store) : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);
    private readonly MailApp _app = new(store, MailServer.Settings());
    private readonly TestUser _customer = Unique.Customer();
    private readonly TestUser _agent = Unique.Agent();
    private string Address => $"{_customer.Id}@example.com";

    [Fact]
    public async Task Unread_replies_become_one_digest_after_the_delay_without_notes_and_with_user_text_escaped()
    {
        var ticketId = (await _app.ClientFor(_customer).CreateTicket("Order <b>42</b>")).Str("id");
        await _app.ClientFor(_agent).PostMessage(ticketId, "Looking into it <script>alert(1)</script>");
        await _app.ClientFor(_agent).PostMessage(ticketId, "Internal: refund?", @internal: true);
        await _app.ClientFor(_agent).PostMessage(ticketId, "Refund sent & confirmed");

        // Not before the delay: at 60 s nothing is queued.
        _app.Clock.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        Assert.Equal(0, await OutboxCountAsync());

        var mails = await _app.AdvanceUntilAsync(async () => await MailServer.MailsToAsync(Address) is { Count: > 0 } m ? m : null, Step);
        var mail = Assert.Single(mails);
        Assert.Contains("Looking into it <script>alert(1)</script>", mail.TextBody);
        Assert.Contains("Refund sent & confirmed", mail.TextBody);
        Assert.DoesNotContain("Internal", mail.TextBody);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mail.HtmlBody);
        Assert.DoesNotContain("<script>", mail.HtmlBody);
        Assert.Contains("Order &lt;b&gt;42&lt;/b&gt;", mail.HtmlBody);
        Assert.Contains(_agent.Username, mail.TextBody);
        Assert.Contains($"https://shop.example/help?ticket={ticketId}", mail.TextBody);
        Assert.StartsWith("<http://st.example/api/v1/email/unsubscribe?u=", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.StartsWith("support-", mail.ReplyTo.Mailboxes.Single().LocalPart);
        Assert.Contains($"+{ticketId}.", mail.ReplyTo.Mailboxes.Single().Address);

        // Once: more rounds send nothing more; a later reply starts its own clock.
        for (var i = 0; i < 5; i++) _app.Clock.Advance(Step);
        await Task.Delay(500);
        Assert.Single(await MailServer.MailsToAsync(Address));
    }

    [Fact]
    public async Task No_mail_when_the_customer_read_in_time_nor_for_notes_nor_for_guests_without_an_address()
    {
        var ticketId = (await _app.ClientFor(_customer).CreateTicket()).Str("id");
        var reply = await _app.ClientFor(_agent).PostMessage(ticketId, "Here is the answer");
        var noteOnly = (await _app.ClientFor(_customer).CreateTicket("Second")).Str("id");
        await _app.ClientFor(_agent).PostMessage(noteOnly, "Only a note", @internal: true);
        var guest = Unique.Guest();
        var guestClient = _app.CreateClient();
        guestClient.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.Mint(new Dictionary<string, object> { ["id"] = guest.Id, ["username"] = guest.Id, ["role"] = "TEMP_USER" }, TimeSpan.FromHours(1)));
        var guestTicket = (await guestClient.CreateTicket()).Str("id");
        await _app.ClientFor(_agent).PostMessage(guestTicket, "Answer for a guest");

        _app.Clock.Advance(TimeSpan.FromSeconds(60));
        await _app.ClientFor(_customer).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = 1 });

        // Every clock stops (read, nothing to mail, no address) and no mail row is ever written.
        await _app.AdvanceUntilAsync(async () => await PendingAsync(ticketId, guestTicket) == 0 ? (object)true : null, Step);
        Assert.Equal(0, await OutboxCountAsync());
        Assert.Empty(await MailServer.MailsToAsync(Address));
        Assert.Equal(1L, reply.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Closing_mails_the_transcript_and_the_unsubscribe_link_works_without_a_token()
    {
        var ticketId = (await _app.ClientFor(_customer).CreateTicket("Broken login")).Str("id");
        await _app.ClientFor(_customer).PostMessage(ticketId, "It fails with error 7");
        await _app.ClientFor(_agent).PostMessage(ticketId, "Fixed on our side");
        await _app.ClientFor(_agent).PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "solved" });

        var mail = (await _app.AdvanceUntilAsync(async () => await MailServer.MailsToAsync(Address) is { Count: > 0 } m ? m : null, Step)).Single();
        Assert.Contains("Closed", mail.Subject);
        var transcript = mail.Attachments.OfType<MimePart>().Single();
        using var text = new StreamReader(transcript.Content!.Open());
        var content = await text.ReadToEndAsync();
        Assert.Contains("It fails with error 7", content);
        Assert.Contains("Fixed on our side", content);

        var link = mail.Headers["List-Unsubscribe"]!.Trim('<', '>').Replace("http://st.example", "");
        var anonymous = _app.Anonymous();
        var page = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        Assert.True(await (await _app.ClientFor(_customer).GetAsync("/api/v1/me/preferences")).Body() is var before && before.GetProperty("email_notifications").GetBoolean());
        var done = await anonymous.PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var after = await (await _app.ClientFor(_customer).GetAsync("/api/v1/me/preferences")).Body();
        Assert.False(after.GetProperty("email_notifications").GetBoolean());
        var forged = await anonymous.PostAsync(link[..^4] + "0000", null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Unsubscribed: the next reply's clock stops without a mail.
        var next = (await _app.ClientFor(_customer).CreateTicket("Another")).Str("id");
        await _app.ClientFor(_agent).PostMessage(next, "Answer");
        await _app.AdvanceUntilAsync(async () => await PendingAsync(next) == 0 ? (object)true : null, Step);
        Assert.Single(await MailServer.MailsToAsync(Address));
    }

    [Fact]
    public async Task Preferences_are_read_and_changed_with_the_callers_token()
    {
        var client = _app.ClientFor(_customer);
        Assert.True((await (await client.GetAsync("/api/v1/me/preferences")).Body()).GetProperty("email_notifications").GetBoolean());
        var patched = await (await client.PatchJson("/api/v1/me/preferences", new { email_notifications = false })).Body();
        Assert.False(patched.GetProperty("email_notifications").GetBoolean());
        Assert.False((await (await client.GetAsync("/api/v1/me/preferences")).Body()).GetProperty("email_notifications").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchJson("/api/v1/me/preferences", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchJson("/api/v1/me/preferences", new { email_notifications = "no" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous().GetAsync("/api/v1/me/preferences")).StatusCode);
    }

    private async Task<int> OutboxCountAsync()
    {
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.EmailOutbox.CountAsync(r => r.ToAddress == Address);
    }

    private async Task<int> PendingAsync(params string[] ticketIds)
    {
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Tickets.CountAsync(t => ticketIds.Contains(t.Id) && t.EmailPendingSince != null);
    }

    public void Dispose() => _app.Dispose();
}

public sealed class SqliteEmailDigestTests() : EmailDigestTests(Store.Sqlite);
public sealed class PostgresEmailDigestTests() : EmailDigestTests(Store.Postgres);
