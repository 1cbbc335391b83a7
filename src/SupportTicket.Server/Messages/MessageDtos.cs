using System.Text.Json.Serialization;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Messages;

public sealed record MessageDto(
    string Id, string TicketId, long Seq, string AuthorId, string AuthorName, string AuthorRole, string Content,
    IReadOnlyList<string> Attachments, bool Internal, string Source, long CreatedAt, long UpdatedAt)
{
    [JsonIgnore]
    public long PublicSeq { get; init; }

    public MessageDto For(CurrentUser viewer) => MessageRules.SeesAllNotes(viewer) ? this : this with { Seq = PublicSeq };
}

public sealed record PostMessageRequest(string? Content, List<string>? Attachments, bool? Internal);

public sealed record EditMessageRequest(string? Content);
