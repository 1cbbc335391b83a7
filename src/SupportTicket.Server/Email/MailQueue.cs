using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Email;

/// <summary>
/// Adds mail rows to the caller's transaction (the one durable way a mail is sent): a digest with the digest clock's
/// move, a close mail with the close, a refusal with the inbound mail's row. <see cref="MailSender"/> sends them.
/// </summary>
public sealed class MailQueue(IOptions<EmailOptions> options, TimeProvider clock)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>The address mail for this ticket goes to: the owner's last token's, if they still want mail.</summary>
    public static async Task<string?> RecipientAsync(AppDbContext db, Ticket ticket, CancellationToken ct)
    {
        var row = await db.EmailRecipients.FirstOrDefaultAsync(r => r.UserId == ticket.UserId, ct);
        if (row is { Notifications: false }) return null;
        var address = row is null ? ticket.Email : row.Email;
        return MailboxAddress.TryParse(address, out var parsed) && parsed.Address.Contains('@') ? parsed.Address : null;
    }

    public EmailOutboxRow Add(AppDbContext db, string kind, string toAddress, Ticket? ticket, long fromSeq = 0, long uptoSeq = 0)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new EmailOutboxRow
        {
            MessageId = NewMessageId(), Kind = kind, TicketId = ticket?.Id, UserId = ticket?.UserId, ToAddress = toAddress,
            FromSeq = fromSeq, UptoSeq = uptoSeq, NextAttemptAt = now, CreatedAt = now,
        };
        db.EmailOutbox.Add(row);
        return row;
    }

    /// <summary>Called inside the close's transaction: the transcript mail, if the owner has an address and wants mail.</summary>
    public async Task AddClosedAsync(AppDbContext db, Ticket ticket, CancellationToken ct)
    {
        if (!Enabled || await RecipientAsync(db, ticket, ct) is not { } to) return;
        Add(db, EmailKinds.Closed, to, ticket, 1, ticket.LastPublicSeq);
    }

    /// <summary>Ours are recognisable (<c>st.</c> prefix at the sender's domain), which the reply reader uses against loops.</summary>
    public string NewMessageId() => $"st.{Storage.Ids.New()}@{Domain}";

    public string Domain => MailboxAddress.TryParse(options.Value.From, out var from) && from.Domain is { Length: > 0 } d ? d : "localhost";
}
