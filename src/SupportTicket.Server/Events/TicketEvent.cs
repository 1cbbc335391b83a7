using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Events;

/// <summary>Event names exactly as the seed contract spells them; the only place they are written.</summary>
public static class EventNames
{
    public const string Message = "message";
    public const string EditMessage = "edit_message";
    public const string DeleteMessage = "delete_message";
    public const string TicketCreated = "ticket_created";
    public const string TicketUpdated = "ticket_updated";
    public const string TicketClosed = "ticket_closed";
    public const string Typing = "typing";
    public const string Read = "read";
    public const string Authorized = "authorized";
    public const string Error = "error";
}

/// <summary>
/// A committed change, or a <see cref="EventNames.Typing"/> signal. <see cref="Ticket"/> is always set (it says who
/// may receive the event); <see cref="Message"/> is set for the three message events and <see cref="Typing"/> for
/// typing, and is the payload then. Typing is never stored: it rides the bus only so that it reaches other nodes.
/// The DTOs are the full ones (<see cref="Tickets.Ticket.ToFullDto"/>): each recipient gets <see cref="PayloadFor"/>.
/// </summary>
public sealed record TicketEvent(string Name, TicketDto Ticket, MessageDto? Message = null, TypingDto? Typing = null, ReadDto? Read = null)
{
    /// <summary>The payload as <paramref name="viewer"/> sees it: <c>seq</c> / <c>last_seq</c> in their numbering.</summary>
    public object PayloadFor(CurrentUser viewer) => (object?)Message?.For(viewer) ?? (object?)Typing ?? (object?)Read ?? Ticket.For(viewer);
}

/// <summary>Payload of <see cref="EventNames.Typing"/>: who is typing in which ticket.</summary>
public sealed record TypingDto(string TicketId, string UserId, string Username);

/// <summary>
/// Payload of <see cref="EventNames.Read"/>: <paramref name="Side"/> has read up to <paramref name="Seq"/>. Only the
/// other side receives it, so the seq is in their numbering (public for customers, full for staff).
/// </summary>
public sealed record ReadDto(string TicketId, string Side, long Seq, long At)
{
    public const string Customer = "customer";
    public const string Staff = "staff";
}

/// <summary>The seam between the write path and delivery (hub, other nodes, Discord).</summary>
public interface ITicketEventBus
{
    /// <summary>Called after commit. Never blocks and keeps the order of calls.</summary>
    void Publish(TicketEvent ticketEvent);
}

/// <summary>Receives every event, in publish order, on one background reader.</summary>
public interface ITicketEventSubscriber
{
    ValueTask HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken);
}
