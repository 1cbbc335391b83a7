using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Events;

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
    /// <summary>Business hours opened or closed (BusinessHours/StatusBroadcaster.cs); payload StatusDto.</summary>
    public const string Status = "status";
}

// Ticket is always set (it decides who may receive the event). Typing is never stored: it rides the bus only to
// reach other nodes. The DTOs are the full ones; each recipient gets PayloadFor.
public sealed record TicketEvent(string Name, TicketDto Ticket, MessageDto? Message = null, TypingDto? Typing = null, ReadDto? Read = null)
{
    public object PayloadFor(CurrentUser viewer) => (object?)Message?.For(viewer) ?? (object?)Typing ?? (object?)Read ?? Ticket.For(viewer);
}

public sealed record TypingDto(string TicketId, string UserId, string Username);

// Payload of "read": Side has read up to Seq. Only the other side receives it, so Seq is in their numbering.
public sealed record ReadDto(string TicketId, string Side, long Seq, long At)
{
    public const string Customer = "customer";
    public const string Staff = "staff";
}

public interface ITicketEventBus
{
    // Called after commit. Never blocks and keeps the order of calls.
    void Publish(TicketEvent ticketEvent);
}

public interface ITicketEventSubscriber
{
    ValueTask HandleAsync(TicketEvent ticketEvent, CancellationToken cancellationToken);
}
