using SupportTicket.Discord.Models;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;
using static SupportTicket.Server.Discord.ChannelKeeper;

namespace SupportTicket.Server.Discord;

public sealed partial class TicketMirror
{
    // Lifecycle: mentions the level's staff role (Discord:Levels:<LEVEL>:RoleId) and, by allowed_mentions, nobody else.
    private async Task PostSlaBreachAsync(Ticket ticket, TicketChannel link, OutboxRow row, CancellationToken ct)
    {
        var role = options.Value.LevelRole(ticket.IssueLevel);
        var text = $"{(role is { } r ? $"<@&{r}> " : "")}⏰ SLA missed on ticket #{ticket.Number} ({ticket.IssueLevel}): it is waiting for a staff answer.";
        await rest.CreateMessageAsync(Snowflake(link.ChannelId!), new CreateMessageRequest
        {
            Content = text, Nonce = Nonce(row.Id, "sla"),
            AllowedMentions = role is { } id ? AllowedMentions.OnlyRole(id) : AllowedMentions.None,
        }, ct);
    }
}
