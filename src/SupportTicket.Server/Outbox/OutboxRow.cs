namespace SupportTicket.Server.Outbox;

/// <summary>
/// A change Discord must see, written in the same transaction as the change itself. The sender applies the rows of
/// one ticket in <see cref="Id"/> order and deletes each once Discord has it; the row holds only what happened, not
/// a copy of the data, so the sender always mirrors the latest state.
/// </summary>
public sealed class OutboxRow
{
    public long Id { get; set; }
    public string TicketId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? MessageId { get; set; }
    /// <summary>Unix milliseconds.</summary>
    public long CreatedAt { get; set; }
    public int Attempts { get; set; }
    /// <summary>Unix milliseconds; the row is not tried again before.</summary>
    public long NextAttemptAt { get; set; }
    /// <summary>Set when Discord refused the change for good (400/403/404): never retried, shown in the status.</summary>
    public long? ParkedAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>What happened; the only place the kinds are spelled.</summary>
public static class OutboxKinds
{
    public const string TicketCreated = "ticket_created";
    public const string TicketUpdated = "ticket_updated";
    public const string TicketClosed = "ticket_closed";
    public const string TicketReopened = "ticket_reopened";
    public const string TicketDeleted = "ticket_deleted";
    public const string MessagePosted = "message_posted";
    public const string MessageEdited = "message_edited";
    public const string MessageDeleted = "message_deleted";
    /// <summary>Lifecycle: post the SLA breach in the ticket's channel, mentioning the level's staff role.</summary>
    public const string SlaBreached = "sla_breached";
}
