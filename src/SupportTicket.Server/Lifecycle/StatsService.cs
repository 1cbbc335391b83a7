using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.BusinessHours;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Lifecycle;

/// <summary>
/// from/to: Unix seconds, both included (default: to = now, from = 30 days before it), so the second a request is
/// made counts; level: an issue level; agent_id: the assignee.
/// </summary>
public sealed record StatsQuery(long? From, long? To, string? Level, string? AgentId);

/// <summary>Durations in seconds of open business time (wall-clock without business hours); null without samples.</summary>
public sealed record DurationStats(int Count, long? P50Seconds, long? P90Seconds);

public sealed record CsatStats(int Count, double? Average);

public sealed record AgentStats(string AgentId, int Opened, int Closed, DurationStats FirstResponse, DurationStats Resolution, int SlaBreaches, CsatStats Csat);

public sealed record StatsDto(long From, long To, string? Level, string? AgentId, int Opened, int Closed, DurationStats FirstResponse,
    DurationStats Resolution, int SlaBreaches, CsatStats Csat, List<AgentStats> Agents);

/// <summary>
/// The team figures of GET /api/v1/admin/stats, and what the Discord /stats command shows (call
/// <see cref="ComputeAsync"/> with the agent's own id for "me"). Each figure counts by its own moment: opened and
/// first response by created_at, closed and resolution by closed_at, breaches by sla_breached_at, CSAT by rated_at.
/// </summary>
public sealed class StatsService(AppDbContext db, BusinessCalendar calendar, TimeProvider clock)
{
    public const int MaxDays = 366;

    private sealed record Row(string? Assignee, long CreatedAt, long? FirstResponseAt, long? ClosedAt, long? BreachedAt, int? Score, long? RatedAt);

    public async Task<Result<StatsDto>> ComputeAsync(CurrentUser user, StatsQuery q, CancellationToken ct)
    {
        if (!user.IsStaff) return ApiError.Forbidden("Only staff may read the stats");
        var to = q.To ?? clock.GetUtcNow().ToUnixTimeSeconds();
        var from = q.From ?? to - 30 * 86_400L;
        var errors = new List<FieldError>();
        if (from > to) errors.Add(new("from", "from must not be after to", "range"));
        if (to - from > MaxDays * 86_400L) errors.Add(new("to", $"the period may span at most {MaxDays} days", "range"));
        var level = q.Level?.Trim().ToUpperInvariant();
        if (level is { Length: > 0 } && !IssueLevel.All.Contains(level))
            errors.Add(new("level", $"level must be one of {string.Join(", ", IssueLevel.All)}", "enum", new { allowed = IssueLevel.All }));
        if (errors.Count > 0) return ApiError.BadRequest("Invalid query", errors);
        if (level is { Length: 0 }) level = null;

        IQueryable<Ticket> query = db.Tickets.Where(t => (t.CreatedAt >= from && t.CreatedAt <= to) || (t.ClosedAt >= from && t.ClosedAt <= to)
            || (t.SlaBreachedAt >= from && t.SlaBreachedAt <= to) || (t.RatedAt >= from && t.RatedAt <= to));
        if (level is not null) query = query.Where(t => t.IssueLevel == level);
        if (!string.IsNullOrEmpty(q.AgentId)) query = query.Where(t => t.AssigneeId == q.AgentId);
        var rows = await query.Select(t => new Row(t.AssigneeId, t.CreatedAt, t.FirstResponseAt, t.ClosedAt, t.SlaBreachedAt, t.RatingScore, t.RatedAt))
            .ToListAsync(ct);

        var (opened, closed, first, resolution, breaches, csat) = Figures(rows, from, to);
        var agents = rows.Where(r => r.Assignee is not null).GroupBy(r => r.Assignee!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Figures([.. g], from, to) is var f ? new AgentStats(g.Key, f.Opened, f.Closed, f.First, f.Resolution, f.Breaches, f.Csat) : null!)
            .ToList();
        return new StatsDto(from, to, level, q.AgentId, opened, closed, first, resolution, breaches, csat, agents);
    }

    private (int Opened, int Closed, DurationStats First, DurationStats Resolution, int Breaches, CsatStats Csat) Figures(List<Row> rows, long from, long to)
    {
        bool In(long? at) => at >= from && at <= to;
        var opened = rows.Where(r => In(r.CreatedAt)).ToList();
        var closed = rows.Where(r => In(r.ClosedAt)).ToList();
        var rated = rows.Where(r => In(r.RatedAt) && r.Score is not null).ToList();
        return (opened.Count, closed.Count,
            Durations(opened.Where(r => r.FirstResponseAt is not null).Select(r => Open(r.CreatedAt, r.FirstResponseAt!.Value))),
            Durations(closed.Select(r => Open(r.CreatedAt, r.ClosedAt!.Value))),
            rows.Count(r => In(r.BreachedAt)),
            new CsatStats(rated.Count, rated.Count > 0 ? Math.Round(rated.Average(r => (double)r.Score!.Value), 2) : null));
    }

    private long Open(long from, long to) =>
        (long)calendar.OpenTimeBetween(DateTimeOffset.FromUnixTimeSeconds(from), DateTimeOffset.FromUnixTimeSeconds(to)).TotalSeconds;

    /// <summary>Nearest-rank percentiles.</summary>
    private static DurationStats Durations(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return new DurationStats(0, null, null);
        long Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new DurationStats(sorted.Length, Rank(0.5), Rank(0.9));
    }
}
