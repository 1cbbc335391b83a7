using SupportTicket.Server.Idempotency;

namespace SupportTicket.Server.Tickets;

public sealed class Ticket : IIdempotent
{
    public string Id { get; set; } = "";
    public long Number { get; set; }
    public string UserId { get; set; } = "";
    public string Username { get; set; } = "";
    public string? Email { get; set; }
    public string Topic { get; set; } = "";
    public string Description { get; set; } = "";
    public string Status { get; set; } = TicketStatus.Open;
    public string UserRole { get; set; } = "";
    public string SupportRole { get; set; } = Tickets.SupportRole.General;
    public string IssueLevel { get; set; } = Tickets.IssueLevel.Normal;
    public string? AssigneeId { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    /// <summary>
    /// When the ticket last changed in a way its customer can see: <see cref="UpdatedAt"/> without staff notes.
    /// Customers see this as <c>updated_at</c>, so a note leaves their view of the ticket exactly as it was.
    /// </summary>
    public long PublicUpdatedAt { get; set; }
    public long? ClosedAt { get; set; }
    public string? CloseReason { get; set; }
    /// <summary>The last <see cref="Messages.Message.Seq"/> handed out (every message, notes included).</summary>
    public long LastSeq { get; set; }
    /// <summary>The last <see cref="Messages.Message.PublicSeq"/> handed out: what customers see as <c>last_seq</c>.</summary>
    public long LastPublicSeq { get; set; }
    public string? IdempotencyKey { get; set; }
    /// <summary>The last event number handed out for this ticket (EventFeed): bumped by SQL in each event's transaction.</summary>
    public long LastEventSeq { get; set; }

    // Read markers (ReadReceipts/): each side's marker in both numberings, so each viewer gets theirs.
    public long CustomerReadSeq { get; set; }
    public long CustomerReadStaffSeq { get; set; }
    public long StaffReadSeq { get; set; }
    public long StaffReadPublicSeq { get; set; }
    /// <summary>When the oldest staff reply not yet mailed nor read was written (Email/ReplyDigests): null when none waits.</summary>
    public long? EmailPendingSince { get; set; }
    /// <summary>The last customer-visible seq a digest mail covered.</summary>
    public long EmailNotifiedSeq { get; set; }

    /// <summary>The ticket as <paramref name="viewer"/> sees it (<c>last_seq</c> in their numbering).</summary>
    public TicketDto ToDto(Auth.CurrentUser viewer) => ToFullDto().For(viewer);

    /// <summary>Both numberings, the full one in <c>last_seq</c>: for events (projected per recipient).</summary>
    public TicketDto ToFullDto() => new(Id, Number, UserId, Username, Topic, Description, Status, CreatedAt, UpdatedAt,
        ClosedAt, UserRole, SupportRole, IssueLevel, AssigneeId, LastSeq, CloseReason)
        {
            LastPublicSeq = LastPublicSeq, PublicUpdatedAt = PublicUpdatedAt, CustomerReadSeq = CustomerReadStaffSeq,
            StaffReadSeq = StaffReadSeq, CustomerReadPublicSeq = CustomerReadSeq, StaffReadPublicSeq = StaffReadPublicSeq,
        };
}

public static class TicketStatus
{
    public const string Open = "OPEN";
    public const string InProgress = "IN_PROGRESS";
    public const string Waiting = "WAITING";
    public const string Closed = "CLOSED";
    public static readonly string[] All = [Open, InProgress, Waiting, Closed];
}

public static class SupportRole
{
    public const string General = "GENERAL";
    public static readonly string[] All = [General, "TECHNICAL", "MANAGER", "ADMIN"];
}

public static class IssueLevel
{
    public const string Normal = "NORMAL";
    public static readonly string[] All = [Normal, "URGENT", "CRITICAL"];
}
