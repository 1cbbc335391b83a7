namespace SupportTicket.Server.Discord;

// A Discord message the bot is to relay into a ticket, recorded (with the message itself) before anything is done with
// it, so a relay that fails is retried instead of skipped. Keyed by the Discord message id: a redelivered event or the
// backfill meeting it again finds the row and does nothing twice.
public sealed class InboundMessage
{
    public string DiscordMessageId { get; set; } = "";
    public string ChannelId { get; set; } = "";
    public string TicketId { get; set; } = "";
    public string Payload { get; set; } = "";
    public string State { get; set; } = InboundStates.Pending;
    public int Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public string? EditedTimestamp { get; set; }
    public bool NoticeSent { get; set; }
    public long CreatedAt { get; set; }
}

public static class InboundStates
{
    public const string Pending = "PENDING";
    public const string Relayed = "RELAYED";
    public const string Refused = "REFUSED";
    public const string Failed = "FAILED";
    public const string Deleted = "DELETED";
}
