using System.Text.Json.Serialization;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;

namespace SupportTicket.Server.Tickets;

public sealed record TicketDto(
    string Id, long Number, string UserId, string Username, string Topic, string Description, string Status,
    long CreatedAt, long UpdatedAt, long? ClosedAt, string UserRole, string SupportRole, string IssueLevel,
    string? AssigneeId, long LastSeq, string? CloseReason)
{
    [JsonIgnore]
    public long LastPublicSeq { get; init; }

    [JsonIgnore]
    public long PublicUpdatedAt { get; init; }

    public SlaDto? Sla { get; init; }

    // When the ticket closes for inactivity unless the customer writes (Lifecycle:AutoCloseAfterHours).
    public long? AutoCloseAt { get; init; }

    // A pending close request of an agent, which the customer accepts or declines.
    public CloseRequestDto? CloseRequest { get; init; }

    public RatingDto? Rating { get; init; }

    // Each side's read marker, in the viewer's numbering (For swaps in the customers' copies).
    public long CustomerReadSeq { get; init; }

    public long StaffReadSeq { get; init; }

    [JsonIgnore]
    public long CustomerReadPublicSeq { get; init; }

    [JsonIgnore]
    public long StaffReadPublicSeq { get; init; }

    // What viewer sees (MessageRules.SeesAllNotes): last_seq in their numbering, and an updated_at that staff notes do
    // not move.
    public TicketDto For(CurrentUser viewer) =>
        MessageRules.SeesAllNotes(viewer) ? this : this with
        {
            LastSeq = LastPublicSeq, UpdatedAt = PublicUpdatedAt, CustomerReadSeq = CustomerReadPublicSeq, StaffReadSeq = StaffReadPublicSeq,
        };
}

public sealed record SlaDto(long? FirstResponseDueAt, long? NextResponseDueAt, long? BreachedAt);

public sealed record CloseRequestDto(long RequestedAt, string? RequestedBy, string? Reason, long? DueAt);

public sealed record RatingDto(int Score, string? Comment, long RatedAt);

public sealed record CreateTicketRequest(string? Topic, string? Description, string? IssueLevel, string? SupportRole);

public sealed record CloseTicketRequest(string? Reason);

/// <param name="Sla">breached (an SLA was missed, still open) or due_soon (an SLA deadline within Sla:DueSoonMinutes); staff only.</param>
/// <param name="DueBefore">For due_soon: the deadline it must fall before (now + Sla:DueSoonMinutes).</param>
public sealed record TicketListQuery(
    string? Status, string? IssueLevel, string? AssigneeId, string? UserId, string? Q, int Limit, long? Before, string? Sla = null, long DueBefore = 0);
