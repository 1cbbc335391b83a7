namespace SupportTicket.Server.Attachments;

// Discord's CDN links expire, so an agent's attachment is kept here. The id is 128 random bits and the link needs no
// token (the widget opens it as a plain link), like Discord's own attachment links.
public sealed class StoredAttachment
{
    public string Id { get; set; } = "";
    public string TicketId { get; set; } = "";

    public string? MessageId { get; set; }

    /// <summary>Who uploaded it (POST …/attachments); null for files re-hosted from Discord, which stay reachable by id alone.</summary>
    public string? UploadedBy { get; set; }

    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public long Size { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class AttachmentChunk
{
    public string AttachmentId { get; set; } = "";
    public int Seq { get; set; }
    public byte[] Data { get; set; } = [];
}
