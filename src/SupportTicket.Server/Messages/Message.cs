using System.Text.Json;
using SupportTicket.Server.Idempotency;

namespace SupportTicket.Server.Messages;

public sealed class Message : IIdempotent
{
    public string Id { get; set; } = "";
    public string TicketId { get; set; } = "";
    public long Seq { get; set; }
    public string AuthorId { get; set; } = "";
    public string AuthorName { get; set; } = "";
    public string AuthorRole { get; set; } = "";
    public string Content { get; set; } = "";
    /// <summary>JSON array of URLs; kept as text so SQLite and PostgreSQL store it the same way.</summary>
    public string Attachments { get; set; } = "[]";
    public bool Internal { get; set; }
    public string Source { get; set; } = MessageSource.Web;
    /// <summary>The id of the mirrored copy elsewhere (a Discord message), for edits and deletes coming back.</summary>
    public string? ExternalId { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string? IdempotencyKey { get; set; }

    public MessageDto ToDto() => new(Id, TicketId, Seq, AuthorId, AuthorName, AuthorRole, Content,
        JsonSerializer.Deserialize<string[]>(Attachments) ?? [], Internal, Source, CreatedAt, UpdatedAt);
}

public static class MessageSource
{
    public const string Web = "WEB";
    public const string Discord = "DISCORD";
}
