using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Events;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using static SupportTicket.Server.Discord.ChannelKeeper;

using EditMessageRequest = SupportTicket.Server.Messages.EditMessageRequest;

namespace SupportTicket.Server.Discord;

// Discord → tickets through MessageService, the same write path as REST. Each message is recorded (InboundMessage)
// before it is relayed, so a failure is retried, never skipped; its Discord id is the post's Idempotency-Key.
public sealed class InboundRelay(
    AppDbContext db, MessageService messages, DiscordRestClient rest, DiscordBotState state, ITicketEventBus bus,
    ThreadParents threads, GuildMembers members, InboundDelivery delivery, TimeProvider clock, IOptions<DiscordBotOptions> options,
    ILogger<InboundRelay> logger)
{
    private readonly DiscordBotOptions _options = options.Value;

    // A message read back after a reconnect. History carries no member, so the author's roles are read from the guild;
    // then exactly the live rules apply. Being able to see the channel proves nothing: an Administrator sees every
    // channel without holding a support role.
    public async Task OnBackfilledAsync(DiscordMessage m, CancellationToken ct)
    {
        if (m.Member is null && m.WebhookId is null && m.Author is { Bot: not true } author && author.Id != state.BotUserId)
            m = m with { Member = await members.GetAsync(author.Id, ct) };
        await OnCreateAsync(m, ct);
    }

    // The one rule for live and backfilled messages alike: a person with a support role, in a ticket channel.
    public async Task OnCreateAsync(DiscordMessage m, CancellationToken ct)
    {
        if (m.WebhookId is not null || m.Author is null || m.Author.Bot == true || m.Author.Id == state.BotUserId) return;
        if (m.Type is not (0 or 19)) return; // plain messages and replies only, not pins or joins
        var (link, inThread) = await FindAsync(m.ChannelId, ct);
        if (link is null) return;
        var row = await db.InboundMessages.AsTracking().FirstOrDefaultAsync(x => x.DiscordMessageId == Text(m.Id), ct);
        var relay = row is null && DiscordMembers.IsSupport(m.Member, _options);
        if (relay)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            // Left to the retry loop only if this relay does not finish in time.
            row = new InboundMessage
            {
                DiscordMessageId = Text(m.Id), ChannelId = Text(m.ChannelId), TicketId = link.TicketId, CreatedAt = now,
                Payload = JsonSerializer.Serialize(m, DiscordJson.Options), EditedTimestamp = m.EditedTimestamp,
                NextAttemptAt = now + Math.Max(_options.RetryBaseMs, 1000),
            };
            db.InboundMessages.Add(row);
        }
        // The cursor moves only past messages that are decided (ignored for good, or recorded in the same commit).
        if (!inThread && (link.LastInboundId is null || Snowflake(link.LastInboundId) < m.Id)) link.LastInboundId = Text(m.Id);
        await db.SaveChangesAsync(ct);
        if (relay) await delivery.DeliverAsync(row!, ct);
    }

    // Since 2024 MESSAGE_UPDATE carries the whole message, also when Discord only unfurled a link: an update is an edit
    // only when its edited_timestamp is new. Without one it changes nothing, above all not the text.
    public async Task OnUpdateAsync(DiscordMessage m, CancellationToken ct)
    {
        if (m.Content is null || m.WebhookId is not null || m.EditedTimestamp is null) return;
        var row = await db.InboundMessages.AsTracking().FirstOrDefaultAsync(x => x.DiscordMessageId == Text(m.Id), ct);
        if (row is not null)
        {
            if (row.EditedTimestamp == m.EditedTimestamp) return;
            row.EditedTimestamp = m.EditedTimestamp;
            if (row.State == InboundStates.Pending)
            {
                var pending = JsonSerializer.Deserialize<DiscordMessage>(row.Payload, DiscordJson.Options)!;
                row.Payload = JsonSerializer.Serialize(pending with { Content = m.Content, EditedTimestamp = m.EditedTimestamp }, DiscordJson.Options);
            }
            await db.SaveChangesAsync(ct);
            if (row.State == InboundStates.Pending) return;
        }
        var message = await db.Messages.FirstOrDefaultAsync(x => x.ExternalId == Text(m.Id) && x.Source == MessageSource.Discord, ct);
        if (message is null) return;
        var (_, inThread) = await FindAsync(m.ChannelId, ct);
        var (content, _) = InboundText.Parse(m.Content, inThread, _options);
        // The remark about attachments that could not be kept is the server's, not the agent's: it stays.
        if (message.Content.IndexOf("\n" + InboundText.NotKeptPrefix, StringComparison.Ordinal) is var at and >= 0)
            content = (content + message.Content[at..]).Trim();
        if (content.Length == 0 || content == message.Content) return;
        // Only its author can edit a Discord message, so the editor is the ticket message's author: the same
        // discord:<id> identity passes MessageService's author rule.
        var editor = m.Author is { } author
            ? DiscordMembers.AsUser(author, m.Member, _options)
            : new Auth.CurrentUser(message.AuthorId, message.AuthorName, null, message.AuthorRole) { ViaDiscord = true };
        var edited = await messages.EditAsync(editor, message.TicketId, message.Id, new EditMessageRequest(content), ct);
        if (!edited.Ok) logger.LogInformation("Edit of Discord message {DiscordMessageId} not relayed: {Error}", m.Id, edited.Error.Message);
    }

    public async Task OnDeleteAsync(IEnumerable<ulong> ids, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            // Deleted before it could be relayed: the retry must not post it after all.
            await db.InboundMessages.Where(x => x.DiscordMessageId == Text(id) && x.State == InboundStates.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, InboundStates.Deleted), ct);
            var message = await db.Messages.FirstOrDefaultAsync(x => x.ExternalId == Text(id) && x.Source == MessageSource.Discord, ct);
            if (message is null) continue; // not ours, or the delete came from the API and already happened
            var error = await messages.DeleteAsync(DiscordMembers.Bot(state.BotUserId), message.TicketId, message.Id, ct);
            if (error is not null) logger.LogInformation("Delete of Discord message {DiscordMessageId} not relayed: {Error}", id, error.Message);
            await db.MirroredMessages.Where(x => x.MessageId == message.Id).ExecuteDeleteAsync(ct);
        }
    }

    public async Task OnTypingAsync(ulong channelId, DiscordUser user, GuildMember? member, CancellationToken ct)
    {
        if (user.Bot == true || !DiscordMembers.IsSupport(member, _options)) return;
        var (link, inThread) = await FindAsync(channelId, ct);
        if (link is null || inThread) return; // typing a staff-only note must not show to the customer
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == link.TicketId, ct);
        if (ticket is null) return;
        var agent = DiscordMembers.AsUser(user, member, _options);
        bus.Publish(new TicketEvent(EventNames.Typing, ticket.ToFullDto(), Typing: new TypingDto(ticket.Id, agent.Id, agent.Username)));
    }

    public async Task OnChannelDeletedAsync(ulong channelId, CancellationToken ct)
    {
        var link = await db.TicketChannels.AsTracking().FirstOrDefaultAsync(c => c.ChannelId == Text(channelId), ct);
        if (link is null || link.State == TicketChannelStates.Deleted) return;
        logger.LogWarning("The Discord channel {ChannelId} of ticket {TicketId} was deleted by hand; it is recreated on the ticket's next change", channelId, link.TicketId);
        link.ChannelId = link.WebhookId = link.WebhookToken = link.OpeningMessageId = null;
        link.LostByHand = true;
        await db.SaveChangesAsync(ct);
    }

    private async Task<(TicketChannel? Link, bool InThread)> FindAsync(ulong channelId, CancellationToken ct)
    {
        var link = await db.TicketChannels.AsTracking().FirstOrDefaultAsync(c => c.ChannelId == Text(channelId) && c.State == TicketChannelStates.Open, ct);
        if (link is not null) return (link, false);
        if (await threads.ParentOfAsync(channelId, rest, ct) is not { } parent) return (null, false);
        link = await db.TicketChannels.AsTracking().FirstOrDefaultAsync(c => c.ChannelId == Text(parent) && c.State == TicketChannelStates.Open, ct);
        return (link, link is not null);
    }

    public static string Key(ulong discordMessageId) => "discord:" + discordMessageId.ToString(CultureInfo.InvariantCulture);
}
