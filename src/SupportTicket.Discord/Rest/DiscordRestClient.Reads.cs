using System.Runtime.CompilerServices;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

public sealed partial class DiscordRestClient
{
    public const int MaxMessagesPerPage = 100;

    public Task<DiscordChannel> GetChannelAsync(ulong channelId, CancellationToken ct = default) =>
        SendAsync<DiscordChannel>(Request(HttpMethod.Get, $"/channels/{Id(channelId)}", "/channels/{channel_id}", Id(channelId)), ct);

    public Task<IReadOnlyList<DiscordChannel>> GetGuildChannelsAsync(ulong guildId, CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<DiscordChannel>>(
            Request(HttpMethod.Get, $"/guilds/{Id(guildId)}/channels", "/guilds/{guild_id}/channels", Id(guildId)), ct);

    public Task<IReadOnlyList<DiscordWebhook>> GetChannelWebhooksAsync(ulong channelId, CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<DiscordWebhook>>(
            Request(HttpMethod.Get, $"/channels/{Id(channelId)}/webhooks", "/channels/{channel_id}/webhooks", Id(channelId)), ct);

    // A member's roles and nick (no privileged intent needed for one member). Messages read through REST carry no
    // member, so this is how a reader learns who their author is to the guild. 404 (10007) once they left.
    public Task<GuildMember> GetGuildMemberAsync(ulong guildId, ulong userId, CancellationToken ct = default) =>
        SendAsync<GuildMember>(
            Request(HttpMethod.Get, $"/guilds/{Id(guildId)}/members/{Id(userId)}", "/guilds/{guild_id}/members/:id", Id(guildId)), ct);

    public Task<DiscordMessage> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default) =>
        SendAsync<DiscordMessage>(
            Request(HttpMethod.Get, $"/channels/{Id(channelId)}/messages/{Id(messageId)}", MessageTemplate, Id(channelId)), ct);

    // One page of GET /channels/{id}/messages (needs READ_MESSAGE_HISTORY). At most one of after/before/around; limit
    // 1–100 (Discord's default 50). Discord sorts the page newest first, also with after, where the page holds the
    // oldest limit messages after that id.
    public Task<IReadOnlyList<DiscordMessage>> GetChannelMessagesAsync(
        ulong channelId, ulong? after = null, ulong? before = null, ulong? around = null, int limit = 50, CancellationToken ct = default)
    {
        if (new[] { after, before, around }.Count(x => x is not null) > 1)
        {
            throw new ArgumentException("Pass at most one of after, before and around.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxMessagesPerPage);
        var query = $"?limit={limit}"
            + (after is { } a ? $"&after={Id(a)}" : "")
            + (before is { } b ? $"&before={Id(b)}" : "")
            + (around is { } r ? $"&around={Id(r)}" : "");
        return SendAsync<IReadOnlyList<DiscordMessage>>(
            Request(HttpMethod.Get, $"/channels/{Id(channelId)}/messages{query}", MessagesTemplate, Id(channelId)), ct);
    }

    // Every message after afterId, oldest first, paging 100 at a time: the backfill after a restart. Pass 0 to read the
    // channel from its beginning.
    public async IAsyncEnumerable<DiscordMessage> GetMessagesAfterAsync(
        ulong channelId, ulong afterId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var cursor = afterId;
        while (true)
        {
            var page = await GetChannelMessagesAsync(channelId, after: cursor, limit: MaxMessagesPerPage, ct: ct);
            foreach (var message in page.OrderBy(m => m.Id))
            {
                yield return message;
                cursor = Math.Max(cursor, message.Id);
            }

            if (page.Count < MaxMessagesPerPage)
            {
                yield break;
            }
        }
    }
}
