using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Auth;
using SupportTicket.Server.CannedResponses;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

public sealed record CommandAnswer(string Text, IReadOnlyList<MessageComponent>? Components = null);

/// <summary>
/// The agents' workflow commands (#28): claim, take over, unclaim, transfer, canned replies and the ticket lists.
/// Every change goes through TicketService / MessageService, exactly as the REST API's.
/// </summary>
public sealed class AgentCommands(AppDbContext db, TicketService tickets, MessageService messages, CannedResponseService canned)
{
    public const int ListMax = 15;
    private static readonly string[] OpenStatuses = [TicketStatus.Open, TicketStatus.InProgress, TicketStatus.Waiting];

    public async Task<CommandAnswer> ClaimAsync(CurrentUser user, string ticketId, bool takeOver, CancellationToken ct)
    {
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return new(found.Error.Message);
        var ticket = found.Value;
        if (ticket.AssigneeId == user.Id) return new($"You already hold ticket #{Number(ticket)}.");
        if (ticket.AssigneeId is { } holder && !takeOver)
        {
            return new($"Ticket #{Number(ticket)} is held by {Who(holder)}. Take it over?",
                [MessageComponent.Row(MessageComponent.Button("Take over", TicketCards.TakeOverPrefix + ticket.Id, ButtonStyles.Primary))]);
        }
        var claimed = await tickets.UpdateAsync(user, ticketId, Json(new { assignee_id = user.Id, status = TicketStatus.InProgress }), ct);
        return new(claimed.Ok
            ? $"{Name(user)} {(ticket.AssigneeId is null ? "claimed" : "took over")} ticket #{claimed.Value.Number}."
            : claimed.Error.Message);
    }

    public async Task<CommandAnswer> UnclaimAsync(CurrentUser user, string ticketId, CancellationToken ct)
    {
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return new(found.Error.Message);
        var ticket = found.Value;
        if (ticket.AssigneeId is not { } holder) return new($"Nobody holds ticket #{Number(ticket)}.");
        if (holder != user.Id && user.Role != Roles.Admin)
            return new($"Ticket #{Number(ticket)} is held by {Who(holder)}: only they or an admin can unclaim it.");

        object change = ticket.Status == TicketStatus.InProgress ? new { assignee_id = (string?)null, status = TicketStatus.Open } : new { assignee_id = (string?)null };
        var done = await tickets.UpdateAsync(user, ticketId, Json(change), ct);
        return new(done.Ok ? $"{Name(user)} unclaimed ticket #{done.Value.Number}; it is unassigned now." : done.Error.Message);
    }

    /// <summary>The target was checked to hold a support role before the interaction was acknowledged (InteractionHandler).</summary>
    public async Task<CommandAnswer> TransferAsync(CurrentUser user, string ticketId, ulong target, CancellationToken ct)
    {
        var assignee = DiscordMembers.IdPrefix + target.ToString(CultureInfo.InvariantCulture);
        var moved = await tickets.UpdateAsync(user, ticketId, Json(new { assignee_id = assignee, status = TicketStatus.InProgress }), ct);
        return new(moved.Ok ? $"{Name(user)} transferred ticket #{moved.Value.Number} to {Who(assignee)}." : moved.Error.Message);
    }

    /// <summary>
    /// The canned response, filled in, posted as the agent's message through MessageService (outbox, events, relay).
    /// The interaction id is the idempotency key: a duplicated INTERACTION_CREATE posts it once.
    /// </summary>
    public async Task<CommandAnswer> ReplyAsync(CurrentUser user, string ticketId, string? name, ulong interactionId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || await canned.FindByNameAsync(name, ct) is not { } reply)
            return new($"There is no canned response named “{TicketCards.Name(name ?? "", 40)}”. `/reply` suggests them as you type.");
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return new(found.Error.Message);
        var text = CannedTemplates.Render(reply.Body, found.Value.Username, user.Username, found.Value.Number);
        var key = "discord-interaction:" + interactionId.ToString(CultureInfo.InvariantCulture);
        var posted = await messages.PostAsync(user, ticketId, new PostMessageRequest(text, null, false), key, MessageSource.Discord, ct: ct);
        return new(posted.Ok ? $"Sent **{reply.Name}**." : posted.Error.Message);
    }

    public async Task<IReadOnlyList<AutocompleteChoice>> ReplyChoicesAsync(string? ticketId, string typed, CancellationToken ct)
    {
        var level = ticketId is null ? null : await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.IssueLevel).FirstOrDefaultAsync(ct);
        var list = await canned.ListAsync(level, ct);
        if (!list.Ok) return [];
        var needle = typed.Trim().ToLowerInvariant();
        return list.Value.Where(c => c.Name.Contains(needle, StringComparison.Ordinal))
            .OrderBy(c => c.Name.StartsWith(needle, StringComparison.Ordinal) ? 0 : 1).ThenBy(c => c.Name)
            .Take(25).Select(c => new AutocompleteChoice(TicketCards.Clip($"{c.Name} — {OneLine(c.Body)}", 100), c.Name)).ToList();
    }

    public async Task<CommandAnswer> ListAsync(CurrentUser user, bool mine, CancellationToken ct)
    {
        var query = db.Tickets.Where(t => OpenStatuses.Contains(t.Status));
        query = mine ? query.Where(t => t.AssigneeId == user.Id) : query.Where(t => t.AssigneeId == null);
        var rows = await query.OrderByDescending(t => t.Number).Take(ListMax + 1)
            .Select(t => new { t.Id, t.Number, t.Topic, t.Status, t.IssueLevel }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var channels = await db.TicketChannels.Where(c => ids.Contains(c.TicketId) && c.ChannelId != null)
            .ToDictionaryAsync(c => c.TicketId, c => c.ChannelId!, ct);
        if (rows.Count == 0) return new(mine ? "You hold no open tickets." : "No open ticket is unassigned.");
        var sb = new StringBuilder(mine ? "**Your open tickets**\n" : "**Unassigned open tickets**\n");
        foreach (var r in rows.Take(ListMax))
        {
            var where = channels.TryGetValue(r.Id, out var channel) ? $" <#{channel}>" : "";
            sb.Append(CultureInfo.InvariantCulture, $"• #{r.Number} {TicketCards.Name(OneLine(r.Topic), 80)} — {r.IssueLevel}, {r.Status}{where}\n");
        }
        if (rows.Count > ListMax) sb.Append(CultureInfo.InvariantCulture, $"…and more: the API lists them all (GET /api/v1/tickets).");
        return new(TicketCards.Clip(sb.ToString().TrimEnd(), 2000));
    }

    /// <summary>How an assignee appears in Discord: a mention for an agent known by their Discord id, else their id.</summary>
    public static string Who(string assigneeId) =>
        assigneeId.StartsWith(DiscordMembers.IdPrefix, StringComparison.Ordinal) && ulong.TryParse(assigneeId[DiscordMembers.IdPrefix.Length..], out var id)
            ? $"<@{id.ToString(CultureInfo.InvariantCulture)}>"
            : $"`{TicketCards.Clip(assigneeId.Replace("`", "'", StringComparison.Ordinal), 100)}`";

    private static string Name(CurrentUser user) => TicketCards.Name(user.Username, 100);

    private static string Number(Ticket ticket) => ticket.Number.ToString(CultureInfo.InvariantCulture);

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);
}
