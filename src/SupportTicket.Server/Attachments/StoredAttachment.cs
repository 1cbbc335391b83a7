namespace SupportTicket.Server.Attachments;

/// <summary>
/// A file an agent attached in Discord, kept by the server: Discord's CDN links expire, so the ticket message links
/// here instead. The id is 128 random bits and the link works without a token (the widget opens it as a plain
/// link), like Discord's own attachment links. The bytes live in <see cref="AttachmentChunk"/> rows, so a download
/// never holds more than one chunk of the file in memory.
/// </summary>
public sealed class StoredAttachment
{
    public string Id { get; set; } = "";
    public string TicketId { get; set; } = "";

    /// <summary>The message that links to the file; null until that message is stored. Deleting it deletes the file.</summary>
    public string? MessageId { get; set; }

    /// <summary>Who uploaded it (POST …/attachments); null for files re-hosted from Discord, which stay reachable by id alone.</summary>
    public string? UploadedBy { get; set; }

    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public long Size { get; set; }
    public long CreatedAt { get; set; }
}

/// <summary>One piece of a stored file: <see cref="AttachmentStore.ChunkSize"/> bytes, the last one shorter.</summary>
public sealed class AttachmentChunk
{
    public string AttachmentId { get; set; } = "";
    public int Seq { get; set; }
    public byte[] Data { get; set; } = [];
}
