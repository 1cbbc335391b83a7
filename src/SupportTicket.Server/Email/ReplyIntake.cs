using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportTicket.Server.Attachments;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Email;

/// <summary>
/// Decides what one mail from the reply mailbox becomes. Accepted only with a valid reply-address signature and the
/// ticket owner's address as sender; then it is posted through <see cref="MessageService"/> (so the hub, the event
/// feed and Discord see it once, like any customer message). Refused mail (closed or unknown ticket, bad signature,
/// too long, too large, empty) gets one short answer; automatic mail, our own and forged senders get none. Each
/// outcome is a row in <c>email_inbound</c>, keyed by Message-ID: the first node to write it owns the mail.
/// </summary>
public sealed class ReplyIntake(
    AppDbContext db, MessageService messages, MailQueue queue, EmailSigner signer, WriteGate gate, IOptions<EmailOptions> options,
    TimeProvider clock, ILogger<ReplyIntake> logger)
{
    public const long MaxMailBytes = 25 * 1024 * 1024;
    public const long MaxAttachmentBytes = 10 * 1024 * 1024;

    /// <param name="recipients">To and Cc from the envelope, when the server gave one: mail for other domains is not downloaded.</param>
    public async Task HandleAsync(string messageId, long size, IReadOnlyList<string>? recipients, Func<Task<MimeMessage>> load, CancellationToken ct)
    {
        if (ReplyText.IsOwn(messageId, queue.Domain) || await db.EmailInbound.AnyAsync(i => i.MessageId == messageId, ct)) return;
        MimeMessage mail;
        try
        {
            var ours = MailboxAddress.Parse(options.Value.ReplyAddress!);
            if (recipients is { Count: > 0 } && !recipients.Any(r => IsReplyMailbox(r, ours)))
            {
                await RecordAsync(messageId, null, "ignored: not addressed to the reply mailbox", ct);
                return;
            }
            if (size > MaxMailBytes)
            {
                await RecordAsync(messageId, null, "ignored: over the size cap, not read", ct);
                return;
            }
            mail = await load();
        }
        catch (FormatException e)
        {
            await RecordAsync(messageId, null, $"ignored: malformed ({e.Message})", ct);
            return;
        }
        var outcome = await DecideAsync(mail, ct);
        if (outcome.Post is { } post)
        {
            await PostAsync(messageId, mail, post, ct);
            return;
        }
        await RecordAsync(messageId, outcome.TicketId, outcome.Log, ct, outcome.Reply is { } reply ? (mail, reply) : null);
    }

    private sealed record Decision(string Log, string? TicketId = null, string? Reply = null, (Ticket Ticket, string Text, List<MimePart> Files)? Post = null);

    private async Task<Decision> DecideAsync(MimeMessage mail, CancellationToken ct)
    {
        if (ReplyText.IsAutomatic(mail, queue.Domain)) return new("ignored: automatic mail");
        var sender = mail.From.Mailboxes.FirstOrDefault()?.Address;
        if (sender is null || !sender.Contains('@')) return new("ignored: no sender address");
        if (MailboxAddress.TryParse(options.Value.From, out var from) && sender.Equals(from.Address, StringComparison.OrdinalIgnoreCase))
            return new("ignored: from ourselves");
        var reply = MailboxAddress.Parse(options.Value.ReplyAddress!);
        if (ReplyText.PlusAddress(mail, reply) is not var (ticketId, signature)) return new("ignored: not addressed to the reply mailbox");
        if (ticketId.Length == 0)
            return new("refused: no conversation address", Reply: "We could not tell which conversation your mail belongs to. Please reply to one of our notification mails, or use the support widget.");
        if (!await signer.VerifyAsync("reply", ticketId, signature, EmailSigner.ReplySignatureLength, ct))
            return new("refused: bad signature", Reply: "We could not match your mail to a conversation: the reply address is not valid. Please reply to one of our notification mails, or use the support widget.");
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null)
            return new("refused: unknown ticket", Reply: "This conversation no longer exists. Please open a new one in the support widget.");
        var owner = await db.EmailRecipients.Where(r => r.UserId == ticket.UserId).Select(r => r.Email).FirstOrDefaultAsync(ct) ?? ticket.Email;
        // A sender who is not the owner gets no answer: the From line may be forged, and an answer would go to a stranger.
        if (owner is null || !owner.Trim().Equals(sender, StringComparison.OrdinalIgnoreCase))
            return new("ignored: sender is not the ticket's owner", ticketId);
        if (TicketAccess.IsClosed(ticket))
            return new("refused: ticket closed", ticketId, $"Your conversation \"{ticket.Topic}\" (#{ticket.Number}) is closed, so your mail was not added to it. Please open a new one in the support widget.");
        var text = ReplyText.Extract(mail);
        if (text.Length == 0 && !mail.Attachments.Any())
            return new("refused: empty", ticketId, "Your mail had no text we could add to the conversation (quoted text is left out).");
        if (text.Length > MessageRules.ContentMax)
            return new("refused: too long", ticketId, $"Your mail is too long for the conversation (at most {MessageRules.ContentMax} characters without the quoted text). Please shorten it or use the support widget.");
        var files = mail.Attachments.OfType<MimePart>().ToList();
        if (files.Count > MessageRules.AttachmentsMax || files.Any(f => Size(f) > MaxAttachmentBytes))
            return new("refused: attachments over the limit", ticketId, $"Your mail was not added: at most {MessageRules.AttachmentsMax} attachments of {MaxAttachmentBytes / 1024 / 1024} MB each.");
        return new("posted", ticketId, Post: (ticket, text.Length == 0 ? "(attachments)" : text, files));
    }

    private async Task PostAsync(string messageId, MimeMessage mail, (Ticket Ticket, string Text, List<MimePart> Files) post, CancellationToken ct)
    {
        var ticket = post.Ticket;
        if (!await ClaimAsync(messageId, ticket.Id, "posting", ct)) return;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var baseUrl = options.Value.PublicBaseUrl!.TrimEnd('/');
        var stored = new List<StoredAttachment>();
        foreach (var file in post.Files)
        {
            using var bytes = new MemoryStream();
            if (file.Content is { } content) await content.DecodeToAsync(bytes, ct);
            var name = string.IsNullOrWhiteSpace(file.FileName) ? "attachment" : Path.GetFileName(file.FileName);
            stored.Add(AttachmentStore.Add(db, ticket.Id, name, file.ContentType.MimeType, bytes.ToArray(), now));
        }
        if (stored.Count > 0)
        {
            using var _ = await gate.EnterAsync(ticket.Id, ct);
            await db.SaveChangesAsync(ct);
        }
        var links = stored.Select(a => $"{baseUrl}/api/v1/attachments/{a.Id}/{Uri.EscapeDataString(a.FileName)}").ToList();
        var user = new CurrentUser(ticket.UserId, ticket.Username, mail.From.Mailboxes.First().Address, ticket.UserRole);
        // The Message-ID is the key: a node that died after the post and before the row's update posts nothing twice.
        var key = "email:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)));
        var result = await messages.PostAsync(user, ticket.Id, new PostMessageRequest(post.Text, links, false), key, ct: ct);
        var outcome = result.Ok ? "posted" : $"refused: {result.Error!.Message}";
        if (result.Ok && stored.Count > 0)
            await db.Attachments.Where(a => stored.Select(s => s.Id).Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.MessageId, result.Value.Message.Id), ct);
        else if (!result.Ok && stored.Count > 0)
            await db.Attachments.Where(a => stored.Select(s => s.Id).Contains(a.Id)).ExecuteDeleteAsync(ct);
        await db.EmailInbound.Where(i => i.MessageId == messageId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Outcome, outcome), ct);
        Metrics.ServerMetrics.EmailsReceived.Add(1, new KeyValuePair<string, object?>("outcome", result.Ok ? "posted" : "refused"));
        logger.LogInformation("Mail {MessageId} for ticket {TicketId}: {Outcome}", messageId, ticket.Id, outcome);
    }

    private async Task RecordAsync(string messageId, string? ticketId, string outcome, CancellationToken ct, (MimeMessage Mail, string Text)? reply = null)
    {
        using var _ = await gate.EnterAsync(ticketId ?? messageId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await ClaimAsync(messageId, ticketId, outcome, ct)) return;
        if (reply is var (mail, text) && mail.From.Mailboxes.FirstOrDefault()?.Address is { } to)
        {
            var row = queue.Add(db, EmailKinds.Refusal, to, null);
            (row.TicketId, row.Subject, row.Body, row.InReplyTo) = (ticketId, "Re: " + (mail.Subject ?? "your mail"), text, mail.MessageId);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        Metrics.ServerMetrics.EmailsReceived.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Split(':')[0]));
        logger.LogInformation("Mail {MessageId}: {Outcome}", messageId, outcome);
    }

    /// <summary>Inserts the mail's row; false when another node or an earlier run has it already.</summary>
    private async Task<bool> ClaimAsync(string messageId, string? ticketId, string outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return await db.Database.ExecuteSqlAsync(
            $"INSERT INTO email_inbound (message_id, ticket_id, outcome, received_at) VALUES ({messageId}, {ticketId}, {outcome}, {now}) ON CONFLICT (message_id) DO NOTHING", ct) == 1;
    }

    private static bool IsReplyMailbox(string address, MailboxAddress ours)
    {
        var at = address.LastIndexOf('@');
        if (at < 0 || !address[(at + 1)..].Equals(ours.Domain, StringComparison.OrdinalIgnoreCase)) return false;
        var local = address[..at];
        return local.Equals(ours.LocalPart, StringComparison.OrdinalIgnoreCase) || local.StartsWith(ours.LocalPart + "+", StringComparison.OrdinalIgnoreCase);
    }

    private static long Size(MimePart part) => part.Content?.Stream is { CanSeek: true } s ? s.Length : 0;
}
