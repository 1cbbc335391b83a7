using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

public sealed partial class ChannelKeeper
{
    // Only the parent (and overwrites when restoring): never a rename, which Discord limits to 2 per 10 min. Best effort:
    // if Discord refuses (full categories, 403), the channel stays, messages still flow, agents are told once, and the
    // move is retried after MoveRetrySeconds.
    private async Task MoveAsync(Ticket ticket, TicketChannel link, long rowId, CancellationToken ct)
    {
        var target = _options.CategoryFor(ticket.IssueLevel);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var restoring = link.State == TicketChannelStates.Archived;
        if (!restoring && link.MoveBlockedTo == Text(target) && link.MoveRetryAt > now) return;
        // With level roles, a new level means other people see the channel.
        var overwrites = restoring || _options.Levels.Count > 0
            ? TicketOverwrites.ForOpenTicket(_options.Guild, state.BotUserId, _options.RolesFor(ticket.IssueLevel)) : null;
        var channel = Snowflake(link.ChannelId!);
        var reason = $"Ticket #{ticket.Number} is {ticket.IssueLevel}";
        DiscordChannel? moved = null;
        string? why = null;
        try
        {
            moved = await rest.ModifyChannelAsync(channel, new ModifyChannelRequest(ParentId: target, PermissionOverwrites: overwrites), reason, ct);
        }
        catch (DiscordRestException e) when (Refused(e) is { } refusal)
        {
            why = refusal;
            if (IsCategoryFull(e) && _options.Overflow is { } overflow && link.ParentId != Text(overflow))
            {
                try
                {
                    moved = await rest.ModifyChannelAsync(channel, new ModifyChannelRequest(ParentId: overflow, PermissionOverwrites: overwrites), reason, ct);
                }
                catch (DiscordRestException e2) when (Refused(e2) is not null)
                {
                }
            }
        }
        if (moved is not null) link.ParentId = moved.ParentId is { } p ? Text(p) : null;
        link.State = TicketChannelStates.Open;
        if (why is null)
        {
            link.MoveBlockedTo = null;
            link.MoveRetryAt = null;
            await db.SaveChangesAsync(ct);
            return;
        }
        logger.LogWarning("Ticket {TicketId}: its channel could not be moved to category {CategoryId} ({Level}): {Reason}; messages are delivered where it is",
            ticket.Id, target, ticket.IssueLevel, why);
        // Reopened from the archive and not moved at all: give agents their permissions back where the channel is.
        if (restoring && moved is null)
            await rest.ModifyChannelAsync(channel, new ModifyChannelRequest(PermissionOverwrites: overwrites), $"Ticket #{ticket.Number} reopened", ct);
        var first = link.MoveBlockedTo != Text(target);
        link.MoveBlockedTo = Text(target);
        link.MoveRetryAt = now + _options.MoveRetrySeconds * 1000L;
        await db.SaveChangesAsync(ct);
        if (!first) return;
        var where = link.ParentId is { } parent ? $"<#{parent}>" : "no category";
        var notice = $"⚠️ This ticket is {ticket.IssueLevel}, but its channel stays in {where} for now because {why}. " +
            "It moves by itself once there is room; nothing sent to this ticket is held back meanwhile.";
        await rest.CreateMessageAsync(channel, new CreateMessageRequest { Content = notice, Nonce = Nonce(rowId, "move") }, ct);
    }

    private static string? Refused(DiscordRestException e) =>
        IsCategoryFull(e) ? "that category is full (50 channels)"
        : e.Status == System.Net.HttpStatusCode.Forbidden ? "the bot may not move channels into that category (403 Missing Permissions)"
        : null;
}
