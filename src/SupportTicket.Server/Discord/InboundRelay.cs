using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Events;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using static SupportTicket.Server.Discord.ChannelKeeper;

using EditMessageRequest = SupportTicket.Server.Messages.EditMessageRequest;

namespace SupportTicket.Server.Discord;

/// <summary>
/// Discord → tickets: agents' messages, edits and deletes in ticket channels go through <see cref="MessageService"/>,
/// the same write path as REST, so the widget gets them live with their seq. Idempotent by the Discord message id
/// (it is the Idempotency-Key of the post), so a redelivered event or a backfill never makes two messages.
/// </summary>
public sealed class InboundRelay(
    AppDbContext db, MessageService messages, DiscordRestClient rest, DiscordBotState state, ITicketEventBus bus,
    ThreadParents threads, GuildMembers members, AttachmentRehost attachments, IOptions<DiscordBotOptions> options, ILogger<InboundRelay> logger)
{
    private readonly DiscordBotOptions _options = options.Value;

    /// <summary>
    /// A message read back after a reconnect. History carries no member, so the author's roles are read from the
    /// guild; then exactly the live rules apply. Being able to see the channel proves nothing: an Administrator sees
    /// every channel without holding a support role.
    /// </summary>
    public async Task OnBackfilledAsync(DiscordMessage m, CancellationToken ct)
    {
        if (m.Member is null && m.WebhookId is null && m.Author is { Bot: not true } author && author.Id != state.BotUserId)
            m = m with { Member = await members.GetAsync(author.Id, ct) };
        await OnCreateAsync(m, ct);
    }

    /// <summary>The one rule for live and backfilled messages alike: a person with a support role, in a ticket channel.</summary>
    public async Task OnCreateAsync(DiscordMessage m, CancellationToken ct)
    {
        if (m.WebhookId is not null || m.Author is null || m.Author.Bot == true || m.Author.Id == state.BotUserId) return;
        if (m.Type is not (0 or 19)) return; // plain messages and replies only, not pins or joins
        var (link, inThread) = await FindAsync(m.ChannelId, ct);
        if (link is null) return;
        if (!DiscordMembers.IsSupport(m.Member, _options)) return;
        var (content, note) = Parse(m.Content ?? "", inThread);
        // Already relayed (a redelivery, or the backfill meeting a live event): don't download its files again.
        if (await db.Messages.AnyAsync(x => x.ExternalId == Text(m.Id) && x.Source == MessageSource.Discord, ct)) return;
        var (links, skipped) = await attachments.RehostAsync(link.TicketId, m.Attachments, ct);
        if (skipped.Count > 0) content = $"{content}\n(attachment not kept: {string.Join(", ", skipped)})".Trim();
        if (content.Length == 0 && links.Count == 0) return;
        if (content.Length == 0) content = "📎";
        var user = DiscordMembers.AsUser(m.Author, m.Member, _options);
        var posted = await messages.PostAsync(user, link.TicketId, new PostMessageRequest(content, links, note),
            idempotencyKey: Key(m.Id), source: MessageSource.Discord, externalId: Text(m.Id), ct: ct);
        if (!posted.Ok)
        {
            logger.LogInformation("Discord message {DiscordMessageId} in ticket {TicketId} not relayed: {Error}", m.Id, link.TicketId, posted.Error!.Message);
        }
        else if (!await db.MirroredMessages.AnyAsync(x => x.MessageId == posted.Value.Message.Id, ct))
        {
            // Recorded as its own mirror, so a delete through the API removes it in Discord too.
            db.MirroredMessages.Add(new MirroredMessage
            {
                MessageId = posted.Value.Message.Id, Part = 0, ChannelId = Text(m.ChannelId), DiscordMessageId = Text(m.Id),
            });
        }
        if (!inThread && (link.LastInboundId is null || Snowflake(link.LastInboundId) < m.Id)) link.LastInboundId = Text(m.Id);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>MESSAGE_UPDATE is partial: no content means something else changed (an embed resolved), not the text.</summary>
    public async Task OnUpdateAsync(DiscordMessage m, CancellationToken ct)
    {
        if (m.Content is null || m.WebhookId is not null) return;
        var message = await db.Messages.FirstOrDefaultAsync(x => x.ExternalId == Text(m.Id) && x.Source == MessageSource.Discord, ct);
        if (message is null) return;
        var (_, inThread) = await FindAsync(m.ChannelId, ct);
        var (content, _) = Parse(m.Content, inThread);
        if (content.Length == 0 || content == message.Content) return;
        // Only its author can edit a Discord message, so the editor is the ticket message's author: the same
        // discord:<id> identity passes MessageService's author rule.
        var editor = m.Author is { } author
            ? DiscordMembers.AsUser(author, m.Member, _options)
            : new Auth.CurrentUser(message.AuthorId, message.AuthorName, null, message.AuthorRole) { ViaDiscord = true };
        var edited = await messages.EditAsync(editor, message.TicketId, message.Id, new EditMessageRequest(content), ct);
        if (!edited.Ok) logger.LogInformation("Edit of Discord message {DiscordMessageId} not relayed: {Error}", m.Id, edited.Error!.Message);
    }

    public async Task OnDeleteAsync(IEnumerable<ulong> ids, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            var message = await db.Messages.FirstOrDefaultAsync(x => x.ExternalId == Text(id) && x.Source == MessageSource.Discord, ct);
            if (message is null) continue; // not ours, or the delete came from the API and already happened
            var error = await messages.DeleteAsync(DiscordMembers.Bot(state.BotUserId), message.TicketId, message.Id, ct);
            if (error is not null) logger.LogInformation("Delete of Discord message {DiscordMessageId} not relayed: {Error}", id, error.Message);
            await db.MirroredMessages.Where(x => x.MessageId == message.Id).ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>An agent typing in a ticket channel shows as <c>typing</c> in the widget.</summary>
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

    /// <summary>Deleted in Discord by someone other than the bot: forget the channel, the next event recreates it.</summary>
    public async Task OnChannelDeletedAsync(ulong channelId, CancellationToken ct)
    {
        var link = await db.TicketChannels.AsTracking().FirstOrDefaultAsync(c => c.ChannelId == Text(channelId), ct);
        if (link is null || link.State == TicketChannelStates.Deleted) return;
        logger.LogWarning("The Discord channel {ChannelId} of ticket {TicketId} was deleted by hand; it is recreated on the ticket's next change", channelId, link.TicketId);
        link.ChannelId = link.WebhookId = link.WebhookToken = link.OpeningMessageId = null;
        link.LostByHand = true;
        await db.SaveChangesAsync(ct);
    }

    private (string Content, bool Note) Parse(string content, bool inThread)
    {
        var text = content.Trim();
        if (_options.NotePrefix.Trim() is { Length: > 0 } prefix && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return (text[prefix.Length..].Trim(), true);
        return (text, inThread);
    }

    /// <summary>The ticket of a channel, or of the thread's parent channel (a thread holds staff-only notes).</summary>
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

/// <summary>Remembers which channels are threads and of which parent (one GET per channel ever), so notes in a thread find their ticket.</summary>
public sealed class ThreadParents
{
    private readonly ConcurrentDictionary<ulong, ulong> _parents = new();

    public void Remember(ulong threadId, ulong parentId) => _parents[threadId] = parentId;

    public async Task<ulong?> ParentOfAsync(ulong channelId, DiscordRestClient rest, CancellationToken ct)
    {
        if (_parents.TryGetValue(channelId, out var known)) return known == 0 ? null : known;
        ulong parent = 0;
        try
        {
            var channel = await rest.GetChannelAsync(channelId, ct);
            if (channel.Type is 10 or 11 or 12 && channel.ParentId is { } p) parent = p; // announcement, public and private threads
        }
        catch (DiscordRestException)
        {
            // Not visible to the bot: certainly not a ticket's thread.
        }
        _parents[channelId] = parent;
        return parent == 0 ? null : parent;
    }
}
