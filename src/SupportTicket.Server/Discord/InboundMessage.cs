namespace SupportTicket.Server.Discord;

/// <summary>
/// A Discord message the bot is to relay into a ticket, recorded (with the message itself) before anything is done
/// with it, so a relay that fails is retried instead of skipped. Keyed by the Discord message id: a redelivered
/// event or the backfill meeting it again finds the row and does nothing twice.
/// </summary>
public sealed class InboundMessage
{
    public string DiscordMessageId { get; set; } = "";
    public string ChannelId { get; set; } = "";
    public string TicketId { get; set; } = "";
    /// <summary>The Discord message as JSON; an edit made while the relay is still pending updates it.</summary>
    public string Payload { get; set; } = "";
    /// <summary><see cref="InboundStates"/>.</summary>
    public string State { get; set; } = InboundStates.Pending;
    public int Attempts { get; set; }
    /// <summary>Unix milliseconds; the retry loop takes pending rows (and untold refusals) once this has passed.</summary>
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>The edited_timestamp of the last edit applied: an update without a new one is not an edit.</summary>
    public string? EditedTimestamp { get; set; }
    /// <summary>The agent was told (❌ and a reply) that the message did not reach the ticket.</summary>
    public bool NoticeSent { get; set; }
    public long CreatedAt { get; set; }
}

public static class InboundStates
{
    public const string Pending = "PENDING";
    public const string Relayed = "RELAYED";
    /// <summary>The ticket server refused it (closed ticket, too long, ...): final, the agent is told why.</summary>
    public const string Refused = "REFUSED";
    /// <summary>Failed on every attempt: final, the agent is told.</summary>
    public const string Failed = "FAILED";
    /// <summary>Deleted in Discord before it could be relayed.</summary>
    public const string Deleted = "DELETED";
}
