namespace SupportTicket.Server.Outbox;

// A change Discord must see, written in the same transaction as the change itself. The sender applies the rows of one
// ticket in Id order and deletes each once Discord has it; the row holds only what happened, not a copy of the data, so
// the sender always mirrors the latest state.
public sealed class OutboxRow
{
    public long Id { get; set; }
    public string TicketId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? MessageId { get; set; }
    public long CreatedAt { get; set; }
    public int Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public long? ParkedAt { get; set; }
    public string? LastError { get; set; }
}

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
    /// <summary>Lifecycle: the customer rated the closed ticket; a line in the log channel.</summary>
    public const string TicketRated = "ticket_rated";
}
