using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

/// <summary>
/// One line per ticket event in Discord:LogChannelId, written while the outbox row of the change is applied, so it
/// follows the ticket's own order. What was reported is kept on the ticket's link, so a retried row or a replayed
/// change does not report twice; the row's nonce covers a retry of the post itself.
/// </summary>
public sealed class LogChannel(AppDbContext db, DiscordRestClient rest, IOptions<DiscordBotOptions> options, ILogger<LogChannel> logger)
{
    public bool Enabled => options.Value.Log is not null;

    /// <summary>After a row for an open ticket: "opened" once, then each change of assignee.</summary>
    public async Task AfterChangeAsync(Ticket ticket, TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        if (!Enabled) return;
        if (!link.LoggedOpened)
        {
            var where = link.ChannelId is { } c ? $" <#{c}>" : "";
            await PostAsync($"🆕 {Title(ticket)} opened by {TicketCards.Name(ticket.Username, 100)} ({ticket.IssueLevel}){where}", row, "lo", ct);
            link.LoggedOpened = true;
            await db.SaveChangesAsync(ct);
        }
        if (link.LoggedAssigneeId != ticket.AssigneeId)
        {
            var line = (link.LoggedAssigneeId, ticket.AssigneeId) switch
            {
                (null, { } now) => $"🙋 {Title(ticket)} claimed by {AgentCommands.Who(now)}",
                ({ } was, null) => $"↩️ {Title(ticket)} unassigned (was {AgentCommands.Who(was)})",
                ({ } was, { } now) => $"🔀 {Title(ticket)} transferred from {AgentCommands.Who(was)} to {AgentCommands.Who(now)}",
                _ => null,
            };
            if (line is not null) await PostAsync(line, row, "la", ct);
            link.LoggedAssigneeId = ticket.AssigneeId;
            await db.SaveChangesAsync(ct);
        }
    }

    public Task ClosedAsync(Ticket ticket, OutboxRow row, CancellationToken ct) => !Enabled ? Task.CompletedTask :
        PostAsync($"✅ {Title(ticket)} closed" + (ticket.CloseReason is { } r ? $": {TicketCards.Name(r, 500)}" : " (no reason given)"), row, "lc", ct);

    public Task SlaBreachedAsync(Ticket ticket, TicketChannel link, OutboxRow row, CancellationToken ct) => !Enabled ? Task.CompletedTask :
        PostAsync($"⏰ {Title(ticket)} missed its SLA ({ticket.IssueLevel})" + (link.ChannelId is { } c ? $" <#{c}>" : ""), row, "ls", ct);

    public Task RatedAsync(Ticket ticket, OutboxRow row, CancellationToken ct) => !Enabled || ticket.RatingScore is not { } score ? Task.CompletedTask :
        PostAsync($"⭐ {Title(ticket)} rated {TicketCards.Rating(score, ticket.RatingComment)}", row, "lr", ct);

    /// <summary>A ticket Discord gave no channel (a channel limit): its outbox row is parked until an operator acts.</summary>
    public Task NoChannelAsync(Ticket ticket, OutboxRow row, string why, CancellationToken ct) => !Enabled ? Task.CompletedTask :
        PostAsync($"🚫 {Title(ticket)} has no Discord channel: {why}. Its outbox row {row.Id} is parked; free channels, then retry it " +
            $"(POST /api/v1/admin/outbox/{row.Id}/retry)", row, "ln", ct);

    /// <summary>A line for any other event (a rating, an SLA breach); <paramref name="purpose"/> tells it from the row's other lines.</summary>
    public async Task PostAsync(string line, OutboxRow row, string purpose, CancellationToken ct)
    {
        if (options.Value.Log is not { } channel) return;
        try
        {
            await rest.CreateMessageAsync(channel, new CreateMessageRequest { Content = TicketCards.Clip(line, 2000), Nonce = ChannelKeeper.Nonce(row.Id, purpose) }, ct);
        }
        catch (DiscordRestException e) when (e.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound)
        {
            // A log line is not worth holding back the ticket's mirror for; the operator sees this instead.
            logger.LogWarning("Discord:LogChannelId {ChannelId} refused a log line ({Code}): {Line}", channel, e.Code, line);
        }
    }

    private static string Title(Ticket ticket) => $"Ticket #{ticket.Number}: {TicketCards.Name(ticket.Topic, 120)}";
}
