namespace SupportTicket.Server.Discord;

/// <summary>
/// A file an agent attached in Discord, kept by the server: Discord's CDN links expire, so the ticket message links
/// here instead. The id is 128 random bits and the link works without a token (the widget opens it as a plain
/// link), like Discord's own attachment links.
/// </summary>
public sealed class StoredAttachment
{
    public string Id { get; set; } = "";
    public string TicketId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public byte[] Data { get; set; } = [];
    public long CreatedAt { get; set; }
}
