using System.Text.Json;
using SupportTicket.Server.Idempotency;

namespace SupportTicket.Server.Messages;

public sealed class Message : IIdempotent
{
    public string Id { get; set; } = "";
    public string TicketId { get; set; } = "";
    public long Seq { get; set; }
    // The numbering customers see, over the messages they can see: a message's place among the ticket's non-internal
    // messages (1, 2, 3 …). A note takes the number of the customer-visible message before it and is never shown to
    // customers. See MessageRules.SeesAllNotes.
    public long PublicSeq { get; set; }
    public string AuthorId { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public string AuthorRole { get; set; } = "";
    public string Content { get; set; } = "";
    // JSON array of URLs; kept as text so SQLite and PostgreSQL store it the same way.
    public string Attachments { get; set; } = "[]";
    public bool Internal { get; set; }
    public string Source { get; set; } = MessageSource.Web;
    public string? ExternalId { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string? IdempotencyKey { get; set; }

    public MessageDto ToDto(Auth.CurrentUser viewer) => ToFullDto().For(viewer);

    public MessageDto ToFullDto() => new(Id, TicketId, Seq, AuthorId, AuthorName, AuthorRole, Content,
        JsonSerializer.Deserialize<string[]>(Attachments) ?? [], Internal, Source, CreatedAt, UpdatedAt) { PublicSeq = PublicSeq };
}

public static class MessageSource
{
    public const string Web = "WEB";
    public const string Discord = "DISCORD";
}
