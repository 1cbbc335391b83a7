using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using static SupportTicket.Server.Discord.ChannelKeeper;

namespace SupportTicket.Server.Discord;

// Finds what an interrupted attempt may already have posted, so a retry after an ambiguous failure never posts
// twice. Webhook executes take no nonce, so they are always looked for; the bot's creates only once the row is
// older than Discord's nonce window. Content is compared as Discord stores it (trimmed).
public sealed class MirrorLookup(AppDbContext db, DiscordRestClient rest, DiscordBotState state, IOptions<DiscordBotOptions> options, TimeProvider clock)
{
    // Messages read back per lookup: the rows of one ticket go one at a time, so an earlier attempt's post is among the
    // newest.
    private const int Recent = 100;

    public bool BeyondNonceWindow(OutboxRow row) =>
        row.Attempts > 0 && clock.GetUtcNow().ToUnixTimeMilliseconds() - row.CreatedAt > options.Value.NonceWindowSeconds * 1000L;

    public static string Normalize(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    public static bool SameContent(string? posted, string sent) => Normalize(posted) == Normalize(sent);

    public async Task<DiscordMessage?> WebhookPostAsync(TicketChannel link, string text, CancellationToken ct)
    {
        var hook = link.WebhookId;
        return await UnmappedAsync(link.ChannelId!, m => m.WebhookId is { } w && Text(w) == hook && SameContent(m.Content, text), ct);
    }

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
