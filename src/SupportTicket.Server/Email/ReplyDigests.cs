using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Email;

/// <summary>
/// Turns unread staff replies into digest mails. The clock is the ticket's <c>email_pending_since</c>, set by the
/// message write itself (Storage/MessageSql.cs: the first customer-visible staff reply not yet mailed), so nothing
/// is lost across crashes and nothing is read from the event stream. A ticket is due when that time is
/// <c>Email:ReplyDelaySeconds</c> old; then every staff reply the customer has neither read nor been mailed goes
/// into one mail, and the ticket's clock and <c>email_notified_seq</c> move in the same transaction as the mail row.
/// When the auto-close warning is among them the mail is the warning mail (its own subject, the other replies below
/// it): one mail either way, under the same delay, read rule and preference.
/// </summary>
public sealed class ReplyDigests(IServiceScopeFactory scopes, MailQueue queue, WriteGate gate, IOptions<EmailOptions> options, TimeProvider clock)
{
    private const int TicketsPerRound = 100;

    /// <summary>One pass; the number of tickets handled.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var cutoff = now - (long)options.Value.ReplyDelay.TotalSeconds;
        List<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            due = await db.Tickets.Where(t => t.EmailPendingSince != null && t.EmailPendingSince <= cutoff)
                .OrderBy(t => t.EmailPendingSince).Select(t => t.Id).Take(TicketsPerRound).ToListAsync(ct);
        }
        foreach (var id in due) await HandleAsync(id, cutoff, ct);
        return due.Count;
    }

    private async Task HandleAsync(string ticketId, long cutoff, CancellationToken ct)
    {
        using var _ = await gate.EnterAsync(ticketId, ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket?.EmailPendingSince is not { } since) return;
        var after = Math.Max(ticket.CustomerReadSeq, ticket.EmailNotifiedSeq);
        var unread = await db.Messages
            .Where(m => m.TicketId == ticketId && !m.Internal && m.PublicSeq > after && (m.AuthorRole == Roles.Agent || m.AuthorRole == Roles.Admin))
            .OrderBy(m => m.PublicSeq).Select(m => new { m.PublicSeq, m.CreatedAt, m.AuthorId, m.IdempotencyKey }).ToListAsync(ct);

        long? next = null;
        var notified = ticket.EmailNotifiedSeq;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (unread.Count > 0 && unread[0].CreatedAt > cutoff)
            next = unread[0].CreatedAt; // what was due has been read; the next reply has its own clock
        else if (unread.Count > 0)
        {
            notified = unread[^1].PublicSeq;
            // Closed: the close mail carries the transcript. No address or no wish for mail: nothing, but the clock stops.
            var kind = unread.Any(m => Lifecycle.AutoCloseWarning.Is(m.AuthorId, m.IdempotencyKey)) ? EmailKinds.AutoCloseWarning : EmailKinds.Digest;
            if (!TicketAccess.IsClosed(ticket) && await MailQueue.RecipientAsync(db, ticket, ct) is { } to)
                queue.Add(db, kind, to, ticket, unread[0].PublicSeq, notified);
        }
        // Only from the state read above: a reply committed meanwhile (another node's batch) leaves this undone, for the next round.
        var moved = await db.Tickets.Where(t => t.Id == ticketId && t.EmailPendingSince == since && t.LastPublicSeq == ticket.LastPublicSeq)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.EmailPendingSince, next).SetProperty(t => t.EmailNotifiedSeq, notified), ct);
        if (moved != 1) return;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
