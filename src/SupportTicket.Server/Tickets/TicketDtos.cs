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

    /// <summary>Up to which seq the customer has read, in the viewer's numbering.</summary>
    public long CustomerReadSeq { get; init; }

    /// <summary>Up to which seq staff have read, in the viewer's numbering.</summary>
    public long StaffReadSeq { get; init; }

    [JsonIgnore]
    public long CustomerReadPublicSeq { get; init; }

    [JsonIgnore]
    public long StaffReadPublicSeq { get; init; }

    /// <summary>
    /// What <paramref name="viewer"/> sees (<see cref="MessageRules.SeesAllNotes"/>): <c>last_seq</c> in their
    /// numbering, and an <c>updated_at</c> that staff notes do not move.
    /// </summary>
    public TicketDto For(CurrentUser viewer) =>
        MessageRules.SeesAllNotes(viewer) ? this : this with
        {
            LastSeq = LastPublicSeq, UpdatedAt = PublicUpdatedAt, CustomerReadSeq = CustomerReadPublicSeq, StaffReadSeq = StaffReadPublicSeq,
        };
}

public sealed record CreateTicketRequest(string? Topic, string? Description, string? IssueLevel, string? SupportRole);

public sealed record CloseTicketRequest(string? Reason);

public sealed record TicketListQuery(
    string? Status, string? IssueLevel, string? AssigneeId, string? UserId, string? Q, int Limit, long? Before);
