using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using static SupportTicket.Server.Discord.ChannelKeeper;

namespace SupportTicket.Server.Discord;

/// <summary>
/// Finds what an earlier, interrupted attempt may already have posted (issue #24 items 5 and 6), so a retry after an
/// ambiguous failure (a 502 after the write, a timeout, a crash before the mapping was saved) never posts twice.
/// Webhook executes take no nonce, so they are always looked for; the bot's own creates carry the row's nonce, which
/// Discord honours for a few minutes only, so they are looked for once the row is older than that window.
/// Content is compared as Discord stores it (trimmed), never byte for byte.
/// </summary>
public sealed class MirrorLookup(AppDbContext db, DiscordRestClient rest, DiscordBotState state, IOptions<DiscordBotOptions> options, TimeProvider clock)
{
    /// <summary>Messages read back per lookup: the rows of one ticket go one at a time, so an earlier attempt's post is among the newest.</summary>
    private const int Recent = 100;

    /// <summary>An earlier attempt of the row may have posted, and Discord may no longer recognise its nonce.</summary>
    public bool BeyondNonceWindow(OutboxRow row) =>
        row.Attempts > 0 && clock.GetUtcNow().ToUnixTimeMilliseconds() - row.CreatedAt > options.Value.NonceWindowSeconds * 1000L;

    /// <summary>How Discord stores content: without leading or trailing whitespace, and with \n line ends.</summary>
    public static string Normalize(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    public static bool SameContent(string? posted, string sent) => Normalize(posted) == Normalize(sent);

    /// <summary>The channel's webhook message with this text that no mapping claims yet (the oldest, if several).</summary>
    public async Task<DiscordMessage?> WebhookPostAsync(TicketChannel link, string text, CancellationToken ct)
    {
        var hook = link.WebhookId;
        return await UnmappedAsync(link.ChannelId!, m => m.WebhookId is { } w && Text(w) == hook && SameContent(m.Content, text), ct);
    }

    /// <summary>The bot's own message in the channel matching <paramref name="match"/> that no mapping claims yet.</summary>
    public Task<DiscordMessage?> BotPostAsync(string channelId, Func<DiscordMessage, bool> match, CancellationToken ct) =>
        UnmappedAsync(channelId, m => m.WebhookId is null && m.Author?.Id == state.BotUserId && match(m), ct);

    private async Task<DiscordMessage?> UnmappedAsync(string channelId, Func<DiscordMessage, bool> match, CancellationToken ct)
    {
        var recent = await rest.GetChannelMessagesAsync(Snowflake(channelId), limit: Recent, ct: ct);
        var candidates = recent.Where(match).Select(m => Text(m.Id)).ToList();
        if (candidates.Count == 0) return null;
        var mapped = await db.MirroredMessages.Where(m => candidates.Contains(m.DiscordMessageId)).Select(m => m.DiscordMessageId).ToListAsync(ct);
        return recent.Where(m => candidates.Contains(Text(m.Id)) && !mapped.Contains(Text(m.Id))).OrderBy(m => m.Id).FirstOrDefault();
    }
}
