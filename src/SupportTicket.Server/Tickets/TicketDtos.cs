using System.Text.Json.Serialization;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Messages;

namespace SupportTicket.Server.Tickets;

public sealed record TicketDto(
    string Id, long Number, string UserId, string Username, string Topic, string Description, string Status,
    long CreatedAt, long UpdatedAt, long? ClosedAt, string UserRole, string SupportRole, string IssueLevel,
    string? AssigneeId, long LastSeq, string? CloseReason)
{
    /// <summary>The customers' <c>last_seq</c> (<see cref="Ticket.LastPublicSeq"/>); never serialized.</summary>
    [JsonIgnore]
    public long LastPublicSeq { get; init; }

    /// <summary>The customers' <c>updated_at</c> (<see cref="Ticket.PublicUpdatedAt"/>); never serialized.</summary>
    [JsonIgnore]
    public long PublicUpdatedAt { get; init; }

    /// <summary>Staff only (null for customers and guests).</summary>
    public SlaDto? Sla { get; init; }

    /// <summary>When the ticket closes for inactivity unless the customer writes (Lifecycle:AutoCloseAfterHours).</summary>
    public long? AutoCloseAt { get; init; }

    /// <summary>A pending close request of an agent, which the customer accepts or declines.</summary>
    public CloseRequestDto? CloseRequest { get; init; }

    public RatingDto? Rating { get; init; }

    /// <summary>
    /// What <paramref name="viewer"/> sees (<see cref="MessageRules.SeesAllNotes"/>): <c>last_seq</c> in their
    /// numbering, and an <c>updated_at</c> that staff notes do not move.
    /// </summary>
    public TicketDto For(CurrentUser viewer) =>
        MessageRules.SeesAllNotes(viewer) ? this : this with { LastSeq = LastPublicSeq, UpdatedAt = PublicUpdatedAt, Sla = null };
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
