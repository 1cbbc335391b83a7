using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Email;

/// <summary>
/// Renders a mail row at send time: plain text and HTML (every user-written string HTML-encoded), the agents'
/// display names, the link into the conversation, the row's own Message-ID, the ticket's signed Reply-To and the
/// RFC 8058 one-click unsubscribe headers. Null when there is nothing left to say (the ticket was deleted).
/// </summary>
public sealed class MailComposer(IOptions<EmailOptions> options, EmailSigner signer)
{
    private EmailOptions Options => options.Value;

    public async Task<MimeMessage?> ComposeAsync(AppDbContext db, EmailOutboxRow row, CancellationToken ct)
    {
        var mail = new MimeMessage { MessageId = row.MessageId };
        mail.From.Add(MailboxAddress.Parse(Options.From!));
        mail.To.Add(MailboxAddress.Parse(row.ToAddress));
        if (row.Kind == EmailKinds.Refusal)
        {
            mail.Subject = row.Subject ?? "Your message was not delivered";
            if (row.InReplyTo is { } original)
            {
                mail.InReplyTo = original;
                mail.References.Add(original);
            }
            // An automatic answer: RFC 3834, so that well-behaved responders leave it alone.
            mail.Headers.Add("Auto-Submitted", "auto-replied");
            mail.Body = new TextPart("plain") { Text = row.Body ?? "" };
            return mail;
        }

        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == row.TicketId, ct);
        if (ticket is null) return null;
        var messages = await db.Messages
            .Where(m => m.TicketId == ticket.Id && !m.Internal && m.PublicSeq >= row.FromSeq && m.PublicSeq <= row.UptoSeq)
            .OrderBy(m => m.PublicSeq).ToListAsync(ct);
        var replies = row.Kind != EmailKinds.Closed;
        if (replies) messages = messages.Where(m => Roles.IsStaff(m.AuthorRole)).ToList();
        if (messages.Count == 0 && replies) return null;

        mail.Subject = row.Kind switch
        {
            EmailKinds.Digest => $"[#{ticket.Number}] New reply: {ticket.Topic}",
            EmailKinds.AutoCloseWarning => $"[#{ticket.Number}] Closing soon: {ticket.Topic}",
            _ => $"[#{ticket.Number}] Closed: {ticket.Topic}",
        };
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        mail.Headers.Add("X-SupportTicket-Ticket", ticket.Id);
        if (await signer.ReplyAddressAsync(ticket.Id, ct) is { } replyTo) mail.ReplyTo.Add(replyTo);
        var unsubscribe = await signer.UnsubscribeUrlAsync(ticket.UserId, ct);
        mail.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        mail.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        var link = Options.ConversationUrlTemplate is { Length: > 0 } template
            ? template.Replace("{ticket_id}", Uri.EscapeDataString(ticket.Id)).Replace("{number}", ticket.Number.ToString())
            : null;
        var (text, html) = row.Kind switch
        {
            EmailKinds.Digest => Digest(ticket, messages),
            EmailKinds.AutoCloseWarning => Warning(ticket, messages),
            _ => Transcript(ticket, messages),
        };
        if (link is not null)
        {
            text.Append($"\nOpen the conversation: {link}\n");
            html.Append($"<p><a href=\"{Enc(link)}\">Open the conversation</a></p>");
        }
        var replyHint = mail.ReplyTo.Count > 0 ? "You can answer this mail to reply.\n" : "";
        text.Append($"\n{replyHint}Stop these mails: {unsubscribe}\n");
        html.Append($"<p style=\"color:#666;font-size:small\">{Enc(replyHint)}<a href=\"{Enc(unsubscribe)}\">Stop these mails</a></p>");
        var body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = $"<!DOCTYPE html><html><body>{html}</body></html>" };
        if (row.Kind == EmailKinds.Closed)
            body.Attachments.Add($"ticket-{ticket.Number}.txt", Encoding.UTF8.GetBytes(TranscriptText(ticket, messages)), new ContentType("text", "plain") { Charset = "utf-8" });
        mail.Body = body.ToMessageBody();
        return mail;
    }

    private static (StringBuilder Text, StringBuilder Html) Digest(Ticket ticket, List<Message> replies)
    {
        var text = new StringBuilder($"You have {Plural(replies.Count, "new reply", "new replies")} on \"{ticket.Topic}\" (#{ticket.Number}):\n\n");
        var html = new StringBuilder($"<p>You have {Plural(replies.Count, "new reply", "new replies")} on <b>{Enc(ticket.Topic)}</b> (#{ticket.Number}):</p>");
        foreach (var m in replies)
        {
            text.Append($"{m.AuthorName} wrote:\n{m.Content}\n\n");
            html.Append($"<p><b>{Enc(m.AuthorName)}</b> wrote:</p><blockquote style=\"white-space:pre-wrap\">{Enc(m.Content)}</blockquote>");
        }
        return (text, html);
    }

    /// <summary>The warning first, in the server's words; any other unread replies below it, as in a digest.</summary>
    private static (StringBuilder Text, StringBuilder Html) Warning(Ticket ticket, List<Message> replies)
    {
        var warning = replies.Where(m => Lifecycle.AutoCloseWarning.Is(m.AuthorId, m.IdempotencyKey)).Select(m => m.Content).LastOrDefault()
            ?? "This ticket will be closed for inactivity unless you reply.";
        var others = replies.Where(m => !Lifecycle.AutoCloseWarning.Is(m.AuthorId, m.IdempotencyKey)).ToList();
        var text = new StringBuilder($"Your conversation \"{ticket.Topic}\" (#{ticket.Number}) is waiting for your answer.\n{warning}\n" +
            "Reply to this mail or in the conversation to keep it open.\n\n");
        var html = new StringBuilder($"<p>Your conversation <b>{Enc(ticket.Topic)}</b> (#{ticket.Number}) is waiting for your answer.</p>" +
            $"<p><b>{Enc(warning)}</b></p><p>Reply to this mail or in the conversation to keep it open.</p>");
        if (others.Count == 0) return (text, html);
        var (digestText, digestHtml) = Digest(ticket, others);
        return (text.Append(digestText), html.Append(digestHtml));
    }

    private static (StringBuilder Text, StringBuilder Html) Transcript(Ticket ticket, List<Message> messages)
    {
        var reason = ticket.CloseReason is { Length: > 0 } r ? $" ({r})" : "";
        var text = new StringBuilder($"Your ticket \"{ticket.Topic}\" (#{ticket.Number}) was closed{reason}. The transcript is attached.\n");
        var html = new StringBuilder($"<p>Your ticket <b>{Enc(ticket.Topic)}</b> (#{ticket.Number}) was closed{Enc(reason)}. The transcript is attached.</p>");
        return (text, html);
    }

    public static string TranscriptText(Ticket ticket, List<Message> messages)
    {
        var sb = new StringBuilder($"Ticket #{ticket.Number}: {ticket.Topic}\n{ticket.Description}\n\n");
        foreach (var m in messages)
            sb.Append($"[{DateTimeOffset.FromUnixTimeSeconds(m.CreatedAt):yyyy-MM-dd HH:mm} UTC] {m.AuthorName}:\n{m.Content}\n\n");
        return sb.ToString();
    }

    private static string Plural(int n, string one, string many) => n == 1 ? $"a {one}" : $"{n} {many}";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
