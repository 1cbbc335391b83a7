namespace SupportTicket.Server.EventFeed;

/// <summary>
/// One fact in the event stream (issue #26), written in the same transaction as the change it describes, always
/// (whether or not anyone consumes it). The body integrators see is rendered from these columns by
/// <see cref="EventBody"/>, so the feed and every webhook attempt carry the same bytes.
/// </summary>
public sealed class EventRow
{
    /// <summary>Insertion order within one writing transaction; with <see cref="Xid"/> the feed's position.</summary>
    public long Id { get; set; }
    /// <summary>The public id, <c>evt_…</c>: the same in the feed, on every webhook attempt and redelivery.</summary>
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string TicketId { get; set; } = "";
    /// <summary>The ticket's event number (1, 2, 3 …, no gaps): <c>tickets.last_event_seq</c> bumped in the same transaction.</summary>
    public long Seq { get; set; }
    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
    /// <summary>The object as the REST API returns it to an ADMIN, as JSON text (kept byte for byte).</summary>
    public string Data { get; set; } = "";
    /// <summary>
    /// PostgreSQL: the writing transaction's id (<c>pg_current_xact_id()</c>, a column default). The feed only
    /// returns events of transactions older than every running one, so a late commit cannot slip in behind a
    /// reader's cursor. SQLite: always 0 (one writer, so id order is commit order).
    /// </summary>
    public long Xid { get; set; }
}

/// <summary>The event types of the contract; the only place they are spelled.</summary>
public static class EventTypes
{
    public const string TicketCreated = "ticket.created";
    public const string TicketUpdated = "ticket.updated";
    public const string TicketClosed = "ticket.closed";
    public const string TicketReopened = "ticket.reopened";
    public const string TicketDeleted = "ticket.deleted";
    public const string MessageCreated = "message.created";
    public const string MessageUpdated = "message.updated";
    public const string MessageDeleted = "message.deleted";
    public const string TicketRead = "ticket.read";
    public const string Ping = "ping";
    // Lifecycle (issue #28)
    public const string TicketSlaBreached = "ticket.sla_breached";
    public const string TicketAutoCloseWarning = "ticket.auto_close_warning";
    public const string TicketCloseRequested = "ticket.close_requested";
    public const string TicketRated = "ticket.rated";

    public static readonly string[] All =
        [TicketCreated, TicketUpdated, TicketClosed, TicketReopened, TicketDeleted, MessageCreated, MessageUpdated, MessageDeleted,
            TicketSlaBreached, TicketAutoCloseWarning, TicketCloseRequested, TicketRated, TicketRead];
}
