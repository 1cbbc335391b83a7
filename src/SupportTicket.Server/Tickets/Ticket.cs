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
    // When the ticket last changed in a way its customer can see: UpdatedAt without staff notes. Customers see this as
    // updated_at, so a note leaves their view of the ticket exactly as it was.
    public long PublicUpdatedAt { get; set; }
    public long? ClosedAt { get; set; }
    public string? CloseReason { get; set; }
    public long LastSeq { get; set; }
    public long LastPublicSeq { get; set; }
    public string? IdempotencyKey { get; set; }
    public long LastEventSeq { get; set; }

    // Lifecycle (issue #28): each *_at below that is due is a durable timer (Lifecycle/TimerService.cs); null: none.
    public long? FirstResponseAt { get; set; }
    public long? SlaFirstResponseDueAt { get; set; }
    public long? SlaNextResponseDueAt { get; set; }
    // The first breach of either SLA; stays set.
    public long? SlaBreachedAt { get; set; }
    public long? AutoCloseWarnAt { get; set; }
    public long? AutoCloseAt { get; set; }
    public long? CloseRequestedAt { get; set; }
    public string? CloseRequestedBy { get; set; }
    public string? CloseRequestReason { get; set; }
    public long? CloseRequestDueAt { get; set; }
    public int? RatingScore { get; set; }
    public string? RatingComment { get; set; }
    public long? RatedAt { get; set; }
    // Read markers (ReadReceipts/): each side's marker in both numberings, so each viewer gets theirs.
    public long CustomerReadSeq { get; set; }
    public long CustomerReadStaffSeq { get; set; }
    public long StaffReadSeq { get; set; }
    public long StaffReadPublicSeq { get; set; }
    // When the oldest staff reply neither mailed nor read was written (Email/ReplyDigests); null when none waits.
    public long? EmailPendingSince { get; set; }
    public long EmailNotifiedSeq { get; set; }

    public TicketDto ToDto(Auth.CurrentUser viewer) => ToFullDto().For(viewer);

    public TicketDto ToFullDto() => new(Id, Number, UserId, Username, Topic, Description, Status, CreatedAt, UpdatedAt,
        ClosedAt, UserRole, SupportRole, IssueLevel, AssigneeId, LastSeq, CloseReason)
    {
        LastPublicSeq = LastPublicSeq, PublicUpdatedAt = PublicUpdatedAt,
        Sla = new SlaDto(SlaFirstResponseDueAt, SlaNextResponseDueAt, SlaBreachedAt),
        AutoCloseAt = AutoCloseAt,
        CustomerReadSeq = CustomerReadStaffSeq, StaffReadSeq = StaffReadSeq,
        CustomerReadPublicSeq = CustomerReadSeq, StaffReadPublicSeq = StaffReadPublicSeq,
        CloseRequest = CloseRequestedAt is { } at ? new CloseRequestDto(at, CloseRequestedBy, CloseRequestReason, CloseRequestDueAt) : null,
        Rating = RatingScore is { } score ? new RatingDto(score, RatingComment, RatedAt ?? 0) : null,
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
