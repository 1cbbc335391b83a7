namespace SupportTicket.Server.Discord;

// Where a ticket lives in Discord. No foreign key to tickets: the row outlives a deleted ticket so the sender can still
// remove its channel.
public sealed class TicketChannel
{
    public string TicketId { get; set; } = "";
    public string? ChannelId { get; set; }
    public string? ParentId { get; set; }
    public string? WebhookId { get; set; }
    public string? WebhookToken { get; set; }
    public string? OpeningMessageId { get; set; }
    // The newest Discord message id relayed from this channel: READY backfills after it.
    public string? LastInboundId { get; set; }
    public string State { get; set; } = TicketChannelStates.Open;
    public bool LostByHand { get; set; }
    // The category the channel belongs in but Discord refused to move it to (full, or the bot may not manage it). Null
    // when the channel sits where it should. Messages are delivered meanwhile; the move is tried again.
    public string? MoveBlockedTo { get; set; }
    // Unix milliseconds: no new move attempt before, so a full category costs one PATCH per interval, not per message.
    public long? MoveRetryAt { get; set; }
    /// <summary>The log channel (Discord:LogChannelId) has its "opened" line.</summary>
    public bool LoggedOpened { get; set; }
    /// <summary>The assignee the log channel last reported: a change from it is a claim, transfer or unassignment line.</summary>
    public string? LoggedAssigneeId { get; set; }
    /// <summary>The first page of the ticket's transcript in Discord:TranscriptChannelId: a rating is added to it.</summary>
    public string? TranscriptMessageId { get; set; }
}

public static class TicketChannelStates
{
    public const string Open = "OPEN";
    public const string Archived = "ARCHIVED";
    public const string Deleted = "DELETED";
}

// One Discord message a ticket message became (several when split at 2,000 characters). Kept apart from messages so a
// deleted ticket message can still be deleted in Discord.
public sealed class MirroredMessage
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public int Part { get; set; }
    public string ChannelId { get; set; } = "";
    public string DiscordMessageId { get; set; } = "";
    public bool ViaWebhook { get; set; }
}
