using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

public sealed partial class DiscordRestClient
{
    public Task<DiscordChannel> CreateGuildChannelAsync(
        ulong guildId, CreateChannelRequest request, string? auditLogReason = null, CancellationToken ct = default) =>
        SendAsync<DiscordChannel>(
            Request(HttpMethod.Post, $"/guilds/{Id(guildId)}/channels", "/guilds/{guild_id}/channels", Id(guildId), request)
                with { AuditLogReason = auditLogReason },
            ct);

    // PATCH /channels/{channel}. Renames and topic changes have a hidden limit of 2 per 10 minutes, so rename at most
    // once per ticket; a long sublimit surfaces as DiscordRateLimitedException.
    public Task<DiscordChannel> ModifyChannelAsync(
        ulong channelId, ModifyChannelRequest request, string? auditLogReason = null, CancellationToken ct = default) =>
        SendAsync<DiscordChannel>(
            Request(new HttpMethod("PATCH"), $"/channels/{Id(channelId)}", "/channels/{channel_id}", Id(channelId), request)
                with { AuditLogReason = auditLogReason },
            ct);

    public Task<DiscordChannel> DeleteChannelAsync(ulong channelId, string? auditLogReason = null, CancellationToken ct = default) =>
        SendAsync<DiscordChannel>(
            Request(HttpMethod.Delete, $"/channels/{Id(channelId)}", "/channels/{channel_id}", Id(channelId))
                with { AuditLogReason = auditLogReason },
            ct);

    public Task<DiscordWebhook> CreateWebhookAsync(ulong channelId, string name, CancellationToken ct = default) =>
        SendAsync<DiscordWebhook>(
            Request(HttpMethod.Post, $"/channels/{Id(channelId)}/webhooks", "/channels/{channel_id}/webhooks", Id(channelId),
                new CreateWebhookRequest(Helpers.WebhookNames.Sanitize(name))),
            ct);
}
