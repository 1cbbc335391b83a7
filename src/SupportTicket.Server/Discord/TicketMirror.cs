using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;
using static SupportTicket.Server.Discord.ChannelKeeper;

using EditMessageRequest = SupportTicket.Discord.Models.EditMessageRequest;

namespace SupportTicket.Server.Discord;

// Applies one outbox row to Discord, reading the current state of the ticket and message (the row only says what
// happened). Safe to run again after any failure: every step is either idempotent or recorded before the next.
public sealed partial class TicketMirror(
    AppDbContext db, DiscordRestClient rest, ChannelKeeper channels, TranscriptPoster transcripts, MirrorLookup lookup, LogChannel log,
    IOptions<DiscordBotOptions> options, ILogger<TicketMirror> logger)
{
    public async Task ApplyAsync(OutboxRow row, CancellationToken ct)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == row.TicketId, ct);
        var link = await channels.LinkAsync(row.TicketId, ct);
        switch (row.Kind)
        {
            case OutboxKinds.TicketDeleted:
                await channels.RetireDeletedAsync(link, ct);
                return;
            case OutboxKinds.MessageDeleted:
                await DeleteMirrorsAsync(link, row.MessageId!, ct);
                return;
        }
        if (ticket is null) return; // deleted since: its ticket_deleted row follows
        if (row.Kind == OutboxKinds.TicketClosed)
        {
            if (!TicketAccess.IsClosed(ticket)) return; // reopened since; the reopen row follows
            await transcripts.PostAsync(ticket, link, row, ct);
            await channels.RetireAsync(link, $"Ticket #{ticket.Number} closed", ct);
            await log.ClosedAsync(ticket, row, ct);
            return;
        }
        if (row.Kind == OutboxKinds.TicketRated)
        {
            await transcripts.AddRatingAsync(ticket, link, row, ct);
            await log.RatedAsync(ticket, row, ct);
            return;
        }
        if (TicketAccess.IsClosed(ticket) && link.State != TicketChannelStates.Open) return; // nothing to show in a retired channel
        await WithChannelAsync(ticket, link, row, async () =>
        {
            switch (row.Kind)
            {
                case OutboxKinds.TicketUpdated:
                case OutboxKinds.TicketReopened:
                    await RefreshOpeningAsync(ticket, link, ct);
                    break;
                case OutboxKinds.MessagePosted:
                    await PostAsync(link, row, ct);
                    break;
                case OutboxKinds.MessageEdited:
                    await EditAsync(link, row, ct);
                    break;
                case OutboxKinds.SlaBreached:
                    await PostSlaBreachAsync(ticket, link, row, ct);
                    await log.SlaBreachedAsync(ticket, link, row, ct);
                    break;
            }
            await log.AfterChangeAsync(ticket, link, row, ct);
        }, ct);
    }

    private async Task WithChannelAsync(Ticket ticket, TicketChannel link, OutboxRow row, Func<Task> step, CancellationToken ct)
    {
        // Two recoveries at most: a lost webhook, then (its channel is gone too) the channel.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await channels.EnsureAsync(ticket, link, row, ct);
                await step();
                return;
            }
            catch (DiscordRestException e) when (attempt < 2 && e.Code == DiscordErrorCodes.UnknownChannel)
            {
                await channels.ForgetChannelAsync(link, ct);
            }
            catch (DiscordRestException e) when (attempt < 2 && e.Code is DiscordErrorCodes.UnknownWebhook or DiscordErrorCodes.InvalidWebhookToken)
            {
                await channels.ForgetWebhookAsync(link, ct);
            }
            catch (ChannelLimitException e)
            {
                // The row parks (OutboxFailure): staff hear of it where they look, not only in the server's log.
                Metrics.ServerMetrics.DiscordChannelLimit.Add(1, new KeyValuePair<string, object?>("limit", e.Limit));
                await log.NoChannelAsync(ticket, row, e.Message, ct);
                throw;
            }
        }
    }

    private async Task RefreshOpeningAsync(Ticket ticket, TicketChannel link, CancellationToken ct)
    {
        if (link.OpeningMessageId is null) return;
        try
        {
            await rest.EditMessageAsync(Snowflake(link.ChannelId!), Snowflake(link.OpeningMessageId),
                new EditMessageRequest { Embeds = [TicketCards.OpeningEmbed(ticket)] }, ct);
        }
        catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownMessage)
        {
            logger.LogInformation("Opening message of ticket {TicketId} was deleted in Discord; not refreshed", ticket.Id);
        }
    }

    private async Task PostAsync(TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        // Replies typed in Discord write no row; a /note does, and shows like an API note.
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == row.MessageId, ct);
        if (message is null) return;
        var parts = TicketCards.Parts(message);
        var done = await db.MirroredMessages.Where(m => m.MessageId == message.Id).Select(m => m.Part).ToListAsync(ct);
        for (var part = 0; part < parts.Count; part++)
        {
            if (done.Contains(part)) continue;
            var posted = await PostPartAsync(link, message, parts[part], row, part, part == parts.Count - 1, ct);
            db.MirroredMessages.Add(new MirroredMessage
            {
                MessageId = message.Id, Part = part, ChannelId = link.ChannelId!, DiscordMessageId = Text(posted.Id), ViaWebhook = !message.Internal,
            });
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task<DiscordMessage> PostPartAsync(TicketChannel link, Message message, string text, OutboxRow row, int part, bool last, CancellationToken ct)
    {
        var channel = Snowflake(link.ChannelId!);
        // Internal notes come from the bot itself (a webhook would show them like the customer's words); its
        // creates carry the row's nonce, so Discord answers a retry with the first message, for a few minutes.
        if (message.Internal)
        {
            if (lookup.BeyondNonceWindow(row) && await lookup.BotPostAsync(link.ChannelId!, m => MirrorLookup.SameContent(m.Content, text), ct) is { } note)
                return note;
            return await rest.CreateMessageAsync(channel, new CreateMessageRequest { Content = text, Nonce = Nonce(row.Id, $"p{part}") }, ct);
        }
        // Webhook executes take no nonce: after an ambiguous failure (a 502 after the write, a timeout, a crash
        // before the mapping was saved) look for the part among the channel's newest messages before posting again.
        if (row.Attempts > 0 && await lookup.WebhookPostAsync(link, text, ct) is { } earlier) return earlier;
        var request = new ExecuteWebhookRequest { Content = text, Username = TicketCards.AuthorName(message) };
        // Uploaded files ride on the last part.
        var files = last ? await RelayedFiles.LoadAsync(db, message, options.Value.MaxAttachmentBytes, ct) : [];
        try
        {
            return await rest.ExecuteWebhookAsync(Snowflake(link.WebhookId!), link.WebhookToken!, request, files, ct);
        }
        catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.InvalidFormBody && e.FieldErrors.Any(f => f.Path.StartsWith("username", StringComparison.Ordinal)))
        {
            return await rest.ExecuteWebhookAsync(Snowflake(link.WebhookId!), link.WebhookToken!, request with { Username = "Customer" }, files, ct);
        }
    }

    private async Task EditAsync(TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == row.MessageId, ct);
        if (message is null || message.Source == MessageSource.Discord) return;
        var parts = TicketCards.Parts(message);
        var mirrors = await db.MirroredMessages.AsTracking().Where(m => m.MessageId == message.Id).OrderBy(m => m.Part).ToListAsync(ct);
        foreach (var mirror in mirrors)
        {
            if (mirror.Part >= parts.Count)
            {
                await DeleteOneAsync(link, mirror, ct);
                db.MirroredMessages.Remove(mirror);
                await db.SaveChangesAsync(ct);
                continue;
            }
            var edit = new EditMessageRequest { Content = parts[mirror.Part] };
            try
            {
                if (mirror.ViaWebhook)
                    await rest.EditWebhookMessageAsync(Snowflake(link.WebhookId!), link.WebhookToken!, mirror.DiscordMessageId, edit, ct);
                else
                    await rest.EditMessageAsync(Snowflake(mirror.ChannelId), Snowflake(mirror.DiscordMessageId), edit, ct);
            }
            catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownMessage && mirror.ViaWebhook)
            {
                await RepostEditedAsync(link, message, mirror, parts[mirror.Part], ct);
            }
            catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownMessage)
            {
                logger.LogInformation("Mirror of message {MessageId} was deleted in Discord; edit skipped", message.Id);
            }
        }
        if (parts.Count > mirrors.Count) await PostAsync(link, row, ct);
    }

    // A webhook edits only its own messages: after the channel's webhook was recreated (10015), older messages answer
    // 10008 (so does one deleted by hand). Agents get the new text as a repost marked edited, the outdated one is
    // removed through the channel route, and the mirror follows the repost so later edits and deletes reach it.
    private async Task RepostEditedAsync(TicketChannel link, Message message, MirroredMessage mirror, string text, CancellationToken ct)
    {
        var repost = await rest.ExecuteWebhookAsync(Snowflake(link.WebhookId!), link.WebhookToken!,
            new ExecuteWebhookRequest { Content = TicketCards.Clip("✏️ (edited) " + text, 2000), Username = TicketCards.AuthorName(message) }, ct);
        var outdated = new MirroredMessage { ChannelId = mirror.ChannelId, DiscordMessageId = mirror.DiscordMessageId };
        mirror.ChannelId = link.ChannelId!;
        mirror.DiscordMessageId = Text(repost.Id);
        await db.SaveChangesAsync(ct);
        await DeleteOneAsync(link, outdated, ct);
        logger.LogInformation("Mirror of message {MessageId} was not editable by the current webhook; reposted as edited", message.Id);
    }

    private async Task DeleteMirrorsAsync(TicketChannel link, string messageId, CancellationToken ct)
    {
        var mirrors = await db.MirroredMessages.AsTracking().Where(m => m.MessageId == messageId).ToListAsync(ct);
        foreach (var mirror in mirrors)
        {
            await DeleteOneAsync(link, mirror, ct);
            db.MirroredMessages.Remove(mirror);
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task DeleteOneAsync(TicketChannel link, MirroredMessage mirror, CancellationToken ct)
    {
        try
        {
            if (mirror.ViaWebhook && link.WebhookId is not null && link.ChannelId == mirror.ChannelId)
            {
                try
                {
                    await rest.DeleteWebhookMessageAsync(Snowflake(link.WebhookId), link.WebhookToken!, Snowflake(mirror.DiscordMessageId), ct);
                    return;
                }
                catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownMessage)
                {
                    // Written by an earlier webhook of the channel: the channel route (MANAGE_MESSAGES) can still delete it.
                }
            }
            await rest.DeleteMessageAsync(Snowflake(mirror.ChannelId), Snowflake(mirror.DiscordMessageId), null, ct);
        }
        catch (DiscordRestException e) when (e.Code is DiscordErrorCodes.UnknownMessage or DiscordErrorCodes.UnknownChannel)
        {
            // Already gone: done.
        }
    }
}
