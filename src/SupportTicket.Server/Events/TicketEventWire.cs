using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Events;

// The one form a TicketEvent takes outside its process (the relay to other nodes). The DTOs never serialize the
// customers' numbering and updated_at (they are not part of the API), so they travel beside them here: a customer
// connected to another node sees exactly what they would see on this one.
public sealed record TicketEventWire(
    string Name, TicketDto Ticket, MessageDto? Message, TypingDto? Typing, long LastPublicSeq, long PublicUpdatedAt, long PublicSeq,
    ReadDto? Read = null, long CustomerReadPublicSeq = 0, long StaffReadPublicSeq = 0)
{
    public static TicketEventWire From(TicketEvent e) =>
        new(e.Name, e.Ticket, e.Message, e.Typing, e.Ticket.LastPublicSeq, e.Ticket.PublicUpdatedAt, e.Message?.PublicSeq ?? 0,
            e.Read, e.Ticket.CustomerReadPublicSeq, e.Ticket.StaffReadPublicSeq);

    public TicketEvent? ToEvent() => Name is null || Ticket is null
        ? null
        : new(Name, Ticket with
            {
                LastPublicSeq = LastPublicSeq, PublicUpdatedAt = PublicUpdatedAt,
                CustomerReadPublicSeq = CustomerReadPublicSeq, StaffReadPublicSeq = StaffReadPublicSeq,
            },
            Message is null ? null : Message with { PublicSeq = PublicSeq }, Typing, Read);
}
