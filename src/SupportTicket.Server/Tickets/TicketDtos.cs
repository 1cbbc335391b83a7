namespace SupportTicket.Server.Tickets;

public sealed record TicketDto(
    string Id, long Number, string UserId, string Username, string Topic, string Description, string Status,
    long CreatedAt, long UpdatedAt, long? ClosedAt, string UserRole, string SupportRole, string IssueLevel,
    string? AssigneeId, long LastSeq, string? CloseReason);

public sealed record CreateTicketRequest(string? Topic, string? Description, string? IssueLevel, string? SupportRole);

public sealed record CloseTicketRequest(string? Reason);

public sealed record TicketListQuery(
    string? Status, string? IssueLevel, string? AssigneeId, string? UserId, string? Q, int Limit, long? Before);
