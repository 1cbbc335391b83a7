using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Events;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.ReadReceipts;

/// <summary>
/// Moves a side's read marker (REST and the hub's <c>markRead</c>): clamped to the last seq the caller can see,
/// forward only, idempotent. A move writes its <c>ticket.read</c> event in the same transaction and tells the other
/// side with a <c>read</c> hub event; a call that moves nothing writes and sends nothing.
/// </summary>
public sealed class ReadReceiptService(AppDbContext db, TicketService tickets, WriteGate gate, ITicketEventBus bus, EventWriter events, TimeProvider clock)
{
    public async Task<Result<ReadDto>> MarkAsync(CurrentUser user, string ticketId, long seq, CancellationToken ct)
    {
        if (seq < 0) return ApiError.Invalid([new FieldError("seq", "seq must be 0 or more", "range")]);
        using var _ = await gate.EnterAsync(ticketId, ct);
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return found.Error;
        var ticket = found.Value;
        var staff = MessageRules.SeesAllNotes(user);
        var side = staff ? ReadDto.Staff : ReadDto.Customer;
        var own = staff ? ticket.StaffReadSeq : ticket.CustomerReadSeq;
        var target = Math.Min(seq, staff ? ticket.LastSeq : ticket.LastPublicSeq);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (target <= own) return new ReadDto(ticketId, side, own, now);

        var messages = db.Messages.Where(m => m.TicketId == ticketId && !m.Internal);
        // The same marker in the other numbering: the last customer-visible message at or before it.
        var other = staff
            ? await messages.Where(m => m.Seq <= target).MaxAsync(m => (long?)m.PublicSeq, ct) ?? 0
            : await messages.Where(m => m.PublicSeq <= target).MaxAsync(m => (long?)m.Seq, ct) ?? 0;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (staff) (ticket.StaffReadSeq, ticket.StaffReadPublicSeq) = (target, Math.Max(other, ticket.StaffReadPublicSeq));
            else (ticket.CustomerReadSeq, ticket.CustomerReadStaffSeq) = (target, Math.Max(other, ticket.CustomerReadStaffSeq));
            await db.SaveChangesAsync(ct);
            await events.AppendAsync(db, EventTypes.TicketRead, ticketId, events.Serialize(ticket.ToFullDto()), ct);
            await tx.CommitAsync(ct);
        }
        // The other side hears it in its own numbering.
        var theirs = new ReadDto(ticketId, side, staff ? ticket.StaffReadPublicSeq : ticket.CustomerReadStaffSeq, now);
        bus.Publish(new TicketEvent(EventNames.Read, ticket.ToFullDto(), Read: theirs));
        return new ReadDto(ticketId, side, target, now);
    }
}
