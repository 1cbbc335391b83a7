using System.Text.Json.Serialization;

namespace SupportTicket.Discord.Models;

public sealed record DiscordWebhook(
    ulong Id, int Type, string? Token = null, ulong? ChannelId = null, string? Name = null, ulong? ApplicationId = null);

public sealed record CreateWebhookRequest(string Name);

public sealed record ExecuteWebhookRequest
{
    public string? Content { get; init; }
    public string? Username { get; init; }
    public string? AvatarUrl { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    public IReadOnlyList<AttachmentSlot>? Attachments { get; init; }

    // Post into this thread of the webhook's channel (sent as the thread_id query parameter, not in the body).
    [JsonIgnore]
    public ulong? ThreadId { get; init; }
}
