using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Events;

/// <summary>
/// The one form a <see cref="TicketEvent"/> takes outside its process (the relay to other nodes). The DTOs never
/// serialize the customers' numbering and <c>updated_at</c> (they are not part of the API), so they travel beside
/// them here: a customer connected to another node sees exactly what they would see on this one.
/// </summary>
public sealed record TicketEventWire(
    string Name, TicketDto Ticket, MessageDto? Message, TypingDto? Typing, long LastPublicSeq, long PublicUpdatedAt, long PublicSeq,
    ReadDto? Read = null, long CustomerReadPublicSeq = 0, long StaffReadPublicSeq = 0)
{
    public static TicketEventWire From(TicketEvent e) =>
        new(e.Name, e.Ticket, e.Message, e.Typing, e.Ticket.LastPublicSeq, e.Ticket.PublicUpdatedAt, e.Message?.PublicSeq ?? 0,
            e.Read, e.Ticket.CustomerReadPublicSeq, e.Ticket.StaffReadPublicSeq);

    /// <summary>Null when a field every event has is missing: a message of another version.</summary>
    public TicketEvent? ToEvent() => Name is null || Ticket is null
        ? null
        : new(Name, Ticket with
            {
                LastPublicSeq = LastPublicSeq, PublicUpdatedAt = PublicUpdatedAt,
                CustomerReadPublicSeq = CustomerReadPublicSeq, StaffReadPublicSeq = StaffReadPublicSeq,
            },
            Message is null ? null : Message with { PublicSeq = PublicSeq }, Typing, Read);
}
