using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Tickets;

public static class TicketQueries
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
    public const string SlaBreached = "breached";
    public const string SlaDueSoon = "due_soon";

    public static ApiError? Validate(TicketListQuery q, out string[] statuses, out string[] levels)
    {
        var errors = new List<FieldError>();
        statuses = ParseSet(errors, "status", q.Status, TicketStatus.All);
        levels = ParseSet(errors, "issue_level", q.IssueLevel, IssueLevel.All);
        if (q.Limit is < 1 or > MaxLimit) errors.Add(new("limit", $"limit must be between 1 and {MaxLimit}", "range"));
        if (q.Before is < 1) errors.Add(new("before", "before must be a positive ticket number", "range"));
        if (q.Q is { Length: > 200 }) errors.Add(new("q", "q must be at most 200 characters", "max_length"));
        if (q.Sla is not (null or "" or SlaBreached or SlaDueSoon))
            errors.Add(new("sla", $"sla must be one of {SlaBreached}, {SlaDueSoon}", "enum", new { allowed = new[] { SlaBreached, SlaDueSoon } }));
        return errors.Count > 0 ? ApiError.BadRequest("Invalid query", errors) : null;
    }

    public static async Task<(List<TicketDto> Page, bool More)> ListAsync(
        AppDbContext db, CurrentUser user, TicketListQuery q, string[] statuses, string[] levels, CancellationToken ct)
    {
        IQueryable<Ticket> query = db.Tickets;
        query = query.Where(TicketAccess.VisibleTo(user));
        if (user.IsStaff && !string.IsNullOrEmpty(q.UserId)) query = query.Where(t => t.UserId == q.UserId);
        if (statuses.Length > 0) query = query.Where(t => statuses.Contains(t.Status));
        if (levels.Length > 0) query = query.Where(t => levels.Contains(t.IssueLevel));
        if (!string.IsNullOrEmpty(q.AssigneeId))
            query = q.AssigneeId == "none" ? query.Where(t => t.AssigneeId == null) : query.Where(t => t.AssigneeId == q.AssigneeId);
        if (q.Before is { } before) query = query.Where(t => t.Number < before);
        if (q.Sla == SlaBreached) query = query.Where(t => t.SlaBreachedAt != null && t.Status != TicketStatus.Closed);
        if (q.Sla == SlaDueSoon)
            query = query.Where(t => t.SlaFirstResponseDueAt <= q.DueBefore || t.SlaNextResponseDueAt <= q.DueBefore);
        if (!string.IsNullOrWhiteSpace(q.Q)) query = Search(query, q.Q.Trim());
        var rows = await query.OrderByDescending(t => t.Number).Take(q.Limit + 1).ToListAsync(ct);
        return (rows.Take(q.Limit).Select(t => t.ToDto(user)).ToList(), rows.Count > q.Limit);
    }

    private static IQueryable<Ticket> Search(IQueryable<Ticket> query, string text)
    {
        var pattern = "%" + text.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var number = long.TryParse(text.TrimStart('#'), out var n) ? n : -1;
        return query.Where(t => t.Id == text || t.Number == number
            || EF.Functions.Like(t.Topic.ToLower(), pattern, "\\")
            || EF.Functions.Like(t.Description.ToLower(), pattern, "\\"));
    }

    private static string[] ParseSet(List<FieldError> errors, string field, string? value, string[] allowed)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.ToUpperInvariant()).Distinct().ToArray();
        foreach (var bad in items.Where(i => Array.IndexOf(allowed, i) < 0))
            errors.Add(new(field, $"{field} '{bad}' must be one of {string.Join(", ", allowed)}", "enum", new { allowed }));
        return items;
    }
}
