using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Lifecycle;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

/// <summary>/tickets due, /stats and /close request: the Discord face of the Lifecycle rules (the same calls as the REST API).</summary>
public sealed class DiscordAgentWorkflow(
    AppDbContext db, LifecycleService lifecycle, StatsService stats, TimeProvider clock, IOptions<SlaOptions> sla) : IAgentWorkflow
{
    public const int StatsDays = 7;

    public async Task<CommandAnswer> DueSoonAsync(CurrentUser agent, CancellationToken ct)
    {
        var dueBefore = clock.GetUtcNow().ToUnixTimeSeconds() + sla.Value.DueSoonMinutes * 60L;
        var query = new TicketListQuery(string.Join(',', TicketStatus.Open, TicketStatus.InProgress, TicketStatus.Waiting), null, null, null, null,
            AgentCommands.ListMax, null, TicketQueries.SlaDueSoon, dueBefore);
        if (TicketQueries.Validate(query, out var statuses, out var levels) is { } error) return new(error.Message);
        var (page, more) = await TicketQueries.ListAsync(db, agent, query, statuses, levels, ct);
        if (page.Count == 0) return new($"No open ticket is due within {sla.Value.DueSoonMinutes} minutes.");
        var ids = page.Select(t => t.Id).ToList();
        var channels = await db.TicketChannels.Where(c => ids.Contains(c.TicketId) && c.ChannelId != null)
            .ToDictionaryAsync(c => c.TicketId, c => c.ChannelId!, ct);
        var sb = new StringBuilder($"**Due within {sla.Value.DueSoonMinutes} minutes (or missed)**\n");
        foreach (var t in page.OrderBy(t => Due(t) ?? long.MaxValue))
        {
            var where = channels.TryGetValue(t.Id, out var channel) ? $" <#{channel}>" : "";
            var due = t.Sla?.BreachedAt is not null ? "SLA missed" : Due(t) is { } at ? $"due <t:{at}:R>" : "due";
            sb.Append(CultureInfo.InvariantCulture, $"• #{t.Number} {TicketCards.Name(t.Topic, 80)} — {t.IssueLevel}, {due}{where}\n");
        }
        if (more) sb.Append("…and more: GET /api/v1/tickets?sla=due_soon lists them all.");
        return new(TicketCards.Clip(sb.ToString().TrimEnd(), 2000));
    }

    public async Task<CommandAnswer> StatsAsync(CurrentUser agent, bool team, CancellationToken ct)
    {
        var to = clock.GetUtcNow().ToUnixTimeSeconds();
        var result = await stats.ComputeAsync(agent, new StatsQuery(to - StatsDays * 86_400L, to, null, team ? null : agent.Id), ct);
        if (!result.Ok) return new(result.Error.Message);
        var s = result.Value;
        var csat = s.Csat.Average is { } avg ? $"{avg.ToString("0.0", CultureInfo.InvariantCulture)} ({s.Csat.Count})" : "– (0)";
        return new(string.Join('\n',
            $"**{(team ? "Team" : "Your")} stats, last {StatsDays} days**",
            $"Opened {s.Opened} · Closed {s.Closed}",
            $"First response p50 {Span(s.FirstResponse.P50Seconds)} · p90 {Span(s.FirstResponse.P90Seconds)}",
            $"Resolution p50 {Span(s.Resolution.P50Seconds)} · p90 {Span(s.Resolution.P90Seconds)}",
            $"SLA breaches {s.SlaBreaches} · CSAT {csat}"));
    }

    public async Task<CommandAnswer> RequestCloseAsync(CurrentUser agent, string ticketId, string? reason, CancellationToken ct)
    {
        var asked = await lifecycle.RequestCloseAsync(agent, ticketId, string.IsNullOrWhiteSpace(reason) ? null : reason, ct);
        return new(asked.Ok
            ? $"{TicketCards.Name(agent.Username, 100)} asked the customer to close ticket #{asked.Value.Number}; without an answer it closes on its own."
            : asked.Error.Message);
    }

    private static long? Due(TicketDto t) => (t.Sla?.FirstResponseDueAt, t.Sla?.NextResponseDueAt) switch
    {
        ({ } a, { } b) => Math.Min(a, b),
        (var a, var b) => a ?? b,
    };

    private static string Span(long? seconds) => seconds switch
    {
        null => "–",
        < 3600 => $"{Math.Max(1, seconds.Value / 60)}m",
        < 86_400 => $"{seconds.Value / 3600}h{seconds.Value % 3600 / 60:00}m",
        _ => $"{seconds.Value / 86_400}d{seconds.Value % 86_400 / 3600}h",
    };
}
