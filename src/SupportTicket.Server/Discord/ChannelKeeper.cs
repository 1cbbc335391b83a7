using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

// Created once (found by the ticket id in its topic first, so a create retried after a crash finds its channel),
// with one reused webhook. Every step is saved at once, so a crash between two steps resumes where it stopped.
public sealed partial class ChannelKeeper(
    AppDbContext db, DiscordRestClient rest, DiscordBotState state, MirrorLookup lookup, IOptions<DiscordBotOptions> options, ILogger<ChannelKeeper> logger)
{
    public const string WebhookName = "SupportTicket";
    private readonly DiscordBotOptions _options = options.Value;

    public async Task<TicketChannel> LinkAsync(string ticketId, CancellationToken ct) =>
        await db.TicketChannels.AsTracking().FirstOrDefaultAsync(c => c.TicketId == ticketId, ct)
        ?? db.TicketChannels.Add(new TicketChannel { TicketId = ticketId }).Entity;

    public async Task<TicketChannel> EnsureAsync(Ticket ticket, TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        if (link.ChannelId is null || link.State == TicketChannelStates.Deleted)
            await CreateAsync(ticket, link, row, ct);
        else if (!TicketAccess.IsClosed(ticket) && (link.State == TicketChannelStates.Archived || link.ParentId != Category(ticket)))
            await MoveAsync(ticket, link, row.Id, ct);
        if (link.OpeningMessageId is null) await PostOpeningAsync(ticket, link, row, ct);
        if (link.WebhookId is null) await EnsureWebhookAsync(link, ct);
        return link;
    }

    public async Task EnsureWebhookAsync(TicketChannel link, CancellationToken ct)
    {
        var channel = Snowflake(link.ChannelId!);
        // Reuse the webhook this application made before (a crash after creating it, before saving it).
        var existing = (await rest.GetChannelWebhooksAsync(channel, ct))
            .FirstOrDefault(w => w.Token is not null && w.Name == WebhookName && (w.ApplicationId is null || w.ApplicationId == state.ApplicationId));
        var hook = existing ?? await rest.CreateWebhookAsync(channel, WebhookName, ct);
        link.WebhookId = Text(hook.Id);
        link.WebhookToken = hook.Token;
        await db.SaveChangesAsync(ct);
    }

    public async Task ForgetWebhookAsync(TicketChannel link, CancellationToken ct)
    {
        link.WebhookId = link.WebhookToken = null;
        await db.SaveChangesAsync(ct);
    }

    public async Task ForgetChannelAsync(TicketChannel link, CancellationToken ct)
    {
        link.ChannelId = link.WebhookId = link.WebhookToken = link.OpeningMessageId = null;
        link.LostByHand = true;
        link.State = TicketChannelStates.Open;
        await db.SaveChangesAsync(ct);
    }

    public string Category(Ticket ticket) => Text(_options.CategoryFor(ticket.IssueLevel));

    private async Task CreateAsync(Ticket ticket, TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        var marker = TicketChannelNames.Marker(ticket.Id);
        var found = (await rest.GetGuildChannelsAsync(_options.Guild, ct))
            .FirstOrDefault(c => c.Type == ChannelTypes.GuildText && c.Topic?.Contains(marker, StringComparison.Ordinal) == true);
        var channel = found ?? await CreateChannelAsync(ticket, ct);
        link.ChannelId = Text(channel.Id);
        link.ParentId = channel.ParentId is { } p ? Text(p) : null;
        link.State = TicketChannelStates.Open;
        link.WebhookId = link.WebhookToken = null;
        if (found is null)
        {
            await db.MirroredMessages.Where(m => m.ChannelId != link.ChannelId && db.Messages.Any(x => x.Id == m.MessageId && x.TicketId == ticket.Id))
                .ExecuteDeleteAsync(ct);
        }
        await db.SaveChangesAsync(ct);
    }

    // The card with the Claim and Close buttons, once per channel; also after a failure between creating the channel
    // and posting it. Its nonce covers a quick retry; a late one (after a crash or a long backoff) looks for the card
    // first.
    private async Task PostOpeningAsync(Ticket ticket, TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        var claim = TicketCards.ClaimPrefix + ticket.Id;
        var lost = link.LostByHand;
        var opening = (lookup.BeyondNonceWindow(row)
                ? await lookup.BotPostAsync(link.ChannelId!, m => m.Components?.Any(r => r.Components?.Any(c => c.CustomId == claim) == true) == true, ct)
                : null)
            ?? await rest.CreateMessageAsync(Snowflake(link.ChannelId!), TicketCards.Opening(ticket, lost) with { Nonce = Nonce(row.Id, "open") }, ct);
        link.OpeningMessageId = Text(opening.Id);
        link.LostByHand = false;
        await db.SaveChangesAsync(ct);
        if (lost) logger.LogWarning("Ticket {TicketId}: its Discord channel was deleted by hand; recreated as {ChannelId}", ticket.Id, link.ChannelId);
    }

    private async Task<DiscordChannel> CreateChannelAsync(Ticket ticket, CancellationToken ct)
    {
        var request = new CreateChannelRequest(
            TicketChannelNames.ForTicket(ticket.Number, ticket.Topic), ParentId: _options.CategoryFor(ticket.IssueLevel),
            Topic: TicketChannelNames.Topic(ticket.Number, ticket.Id),
            PermissionOverwrites: TicketOverwrites.ForOpenTicket(_options.Guild, state.BotUserId, _options.RolesFor(ticket.IssueLevel)));
        try
        {
            return await rest.CreateGuildChannelAsync(_options.Guild, request, $"Ticket #{ticket.Number}", ct);
        }
        catch (DiscordRestException e) when (IsCategoryFull(e) && _options.Overflow is { } overflow)
        {
            logger.LogWarning("Category {CategoryId} of level {Level} is full (50 channels); ticket {TicketId} goes to the overflow category",
                request.ParentId, ticket.IssueLevel, ticket.Id);
            try
            {
                return await rest.CreateGuildChannelAsync(_options.Guild, request with { ParentId = overflow }, $"Ticket #{ticket.Number}", ct);
            }
            catch (DiscordRestException full) when (IsCategoryFull(full))
            {
                throw new ChannelLimitException(ChannelLimitException.Category,
                    $"The category of level {ticket.IssueLevel} and Discord:OverflowCategoryId each hold 50 channels, Discord's limit");
            }
            catch (DiscordRestException full) when (full.Code == DiscordErrorCodes.MaxGuildChannels)
            {
                throw GuildFull(ticket);
            }
        }
        catch (DiscordRestException e) when (IsCategoryFull(e))
        {
            throw new ChannelLimitException(ChannelLimitException.Category,
                $"The category of level {ticket.IssueLevel} holds 50 channels, Discord's limit, and Discord:OverflowCategoryId is not set");
        }
        catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.MaxGuildChannels)
        {
            throw GuildFull(ticket);
        }
    }

    private ChannelLimitException GuildFull(Ticket ticket)
    {
        logger.LogError("The Discord guild holds 500 channels, its limit: ticket {TicketId} gets no channel until some are deleted", ticket.Id);
        return new ChannelLimitException(ChannelLimitException.Guild,
            "The Discord guild is at its limit of 500 channels (30013): delete old channels or archive less");
    }

    // Close: archive (move + read-only) or delete, as configured. The bot marks its own delete first, so its
    // CHANNEL_DELETE is not mistaken for a hand deletion.
    public async Task RetireAsync(TicketChannel link, string reason, CancellationToken ct)
    {
        if (link.ChannelId is null) return;
        var channel = Snowflake(link.ChannelId);
        if (_options.ArchiveClosed)
        {
            var overwrites = TicketOverwrites.ForArchivedTicket(_options.Guild, state.BotUserId, _options.SupportRoles);
            DiscordChannel moved;
            try
            {
                moved = await rest.ModifyChannelAsync(channel, new ModifyChannelRequest(ParentId: _options.Archive, PermissionOverwrites: overwrites), reason, ct);
            }
            catch (DiscordRestException e) when (IsCategoryFull(e))
            {
                logger.LogWarning("Archive category is full; deleting the channel of ticket {TicketId} instead", link.TicketId);
                await DeleteAsync(link, channel, reason, ct);
                return;
            }
            link.ParentId = moved.ParentId is { } p ? Text(p) : null;
            link.State = TicketChannelStates.Archived;
            await db.SaveChangesAsync(ct);
            return;
        }
        await DeleteAsync(link, channel, reason, ct);
    }

    public async Task RetireDeletedAsync(TicketChannel link, CancellationToken ct)
    {
        if (link.ChannelId is { } id) await DeleteAsync(link, Snowflake(id), "Ticket deleted", ct);
    }

    private async Task DeleteAsync(TicketChannel link, ulong channel, string reason, CancellationToken ct)
    {
        link.State = TicketChannelStates.Deleted;
        await db.SaveChangesAsync(ct);
        try
        {
            await rest.DeleteChannelAsync(channel, reason, ct);
        }
        catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownChannel)
        {
            // Already gone: that is what we wanted.
        }
        link.ChannelId = link.WebhookId = link.WebhookToken = link.OpeningMessageId = null;
        await db.SaveChangesAsync(ct);
    }

    private static bool IsCategoryFull(DiscordRestException e) => e.HasFieldError(DiscordErrorCodes.CategoryFull);

    public static string Nonce(long rowId, string purpose) => $"{rowId.ToString(CultureInfo.InvariantCulture)}-{purpose}" is var n && n.Length > 25 ? n[..25] : n;

    public static ulong Snowflake(string id) => ulong.Parse(id, CultureInfo.InvariantCulture);

    public static string Text(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
