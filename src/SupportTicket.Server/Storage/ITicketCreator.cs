using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

/// <summary>
/// Writes a new ticket the way its store does it best (<see cref="PostgresTicketBatcher"/>, <see cref="SqliteTicketCreator"/>):
/// the open-ticket cap, the number, the insert and the outbox row commit together, so the cap's count is exact.
/// </summary>
public interface ITicketCreator
{
    /// <param name="committed">Runs after the commit, for a created ticket only.</param>
    Task<CreateOutcome> CreateAsync(TicketWrite create, Action<Ticket> committed, CancellationToken ct);
}

/// <summary>One create as the store writes it.</summary>
/// <param name="MaxOpen">The customer's open-ticket cap (null: none).</param>
/// <param name="Outbox">Also write the create's Discord outbox row.</param>
/// <param name="EventId">The create's ticket.created event id (EventFeed).</param>
/// <param name="EventData">Its data, with the number still a placeholder (<see cref="EventFeed.EventWriter.TicketTemplate"/>).</param>
public sealed record TicketWrite(Ticket Ticket, int? MaxOpen, bool Outbox, string EventId, string EventData);

/// <summary>What became of a create: <see cref="Ticket"/> when stored; else the cap or a taken idempotency key.</summary>
public sealed class CreateOutcome
{
    public static readonly CreateOutcome CapReached = new(null), KeyTaken = new(null);

    public CreateOutcome(Ticket? ticket) => Ticket = ticket;

    public Ticket? Ticket { get; }
}
