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

public sealed record CreateTicketRequest(string? Topic, string? Description, string? IssueLevel, string? SupportRole);

public sealed record CloseTicketRequest(string? Reason);

public sealed record TicketListQuery(
    string? Status, string? IssueLevel, string? AssigneeId, string? UserId, string? Q, int Limit, long? Before);
