namespace SupportTicket.Server.Messages;

public sealed record MessageDto(
    string Id, string TicketId, long Seq, string AuthorId, string AuthorName, string AuthorRole, string Content,
    IReadOnlyList<string> Attachments, bool Internal, string Source, long CreatedAt, long UpdatedAt);

public sealed record PostMessageRequest(string? Content, List<string>? Attachments, bool? Internal);

public sealed record EditMessageRequest(string? Content);
