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

    /// <summary>What <paramref name="viewer"/> sees: <c>last_seq</c> in their numbering (<see cref="MessageRules.SeesAllNotes"/>).</summary>
    public TicketDto For(CurrentUser viewer) => MessageRules.SeesAllNotes(viewer) ? this : this with { LastSeq = LastPublicSeq };
}

public sealed record CreateTicketRequest(string? Topic, string? Description, string? IssueLevel, string? SupportRole);

public sealed record CloseTicketRequest(string? Reason);

public sealed record TicketListQuery(
    string? Status, string? IssueLevel, string? AssigneeId, string? UserId, string? Q, int Limit, long? Before);
