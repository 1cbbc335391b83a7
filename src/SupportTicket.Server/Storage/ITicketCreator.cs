using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// Writes a new ticket, group-committed on both stores (TicketBatcher: PostgresTicketBatcher, SqliteTicketBatcher): the
// open-ticket cap, the number, the insert, the event and the outbox row commit together, so the cap's count is exact.
public interface ITicketCreator
{
    Task<CreateOutcome> CreateAsync(TicketWrite create, Action<Ticket> committed, CancellationToken ct);
}

// EventData has the number still a placeholder (EventFeed.EventWriter.TicketTemplate).
public sealed record TicketWrite(Ticket Ticket, int? MaxOpen, bool Outbox, string EventId, string EventData);

public sealed class CreateOutcome
{
    public static readonly CreateOutcome CapReached = new(null), KeyTaken = new(null);

    public CreateOutcome(Ticket? ticket) => Ticket = ticket;

    public Ticket? Ticket { get; }
}
