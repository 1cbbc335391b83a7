using Microsoft.Extensions.Options;
using SupportTicket.Server.BusinessHours;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Lifecycle;

/// <summary>
/// When each timer of a ticket falls due: the one home of the deadlines. The message write (Storage/MessageSql.cs)
/// takes them per issue level as parameters (<see cref="MessageTimers"/>) and picks the ticket's own in SQL.
/// </summary>
public sealed class TicketTimers(BusinessCalendar calendar, IOptions<SlaOptions> sla, IOptions<LifecycleOptions> lifecycle)
{
    /// <summary>The due-time properties of <see cref="Ticket"/>, each indexed (Storage/AppDbContext.cs).</summary>
    public static readonly string[] DueColumns =
    [
        nameof(Ticket.SlaFirstResponseDueAt), nameof(Ticket.SlaNextResponseDueAt), nameof(Ticket.AutoCloseWarnAt),
        nameof(Ticket.AutoCloseAt), nameof(Ticket.CloseRequestDueAt),
    ];

    public long? FirstResponseDue(string level, long from) => Due(from, sla.Value.For(level)?.FirstResponseMinutes);

    public long? NextResponseDue(string level, long from) => Due(from, sla.Value.For(level)?.NextResponseMinutes);

    /// <summary>The warning and the close of a ticket that waits on its customer from <paramref name="from"/>; nulls when off.</summary>
    public (long? WarnAt, long? CloseAt) AutoClose(string level, long from)
    {
        var hours = lifecycle.Value.AutoCloseHoursFor(level);
        if (hours <= 0) return (null, null);
        var warn = lifecycle.Value.WarnBeforeHours;
        return (warn > 0 ? from + (hours - warn) * 3600L : null, from + hours * 3600L);
    }

    /// <summary>Arms auto-close on a ticket set to wait on its customer (unless it is armed already).</summary>
    public void ArmAutoClose(Ticket ticket, long now)
    {
        if (ticket.AutoCloseAt is not null) return;
        (ticket.AutoCloseWarnAt, ticket.AutoCloseAt) = AutoClose(ticket.IssueLevel, now);
    }

    public static void ClearOnClose(Ticket ticket)
    {
        ticket.SlaFirstResponseDueAt = ticket.SlaNextResponseDueAt = ticket.AutoCloseWarnAt = ticket.AutoCloseAt = null;
        ticket.CloseRequestedAt = ticket.CloseRequestDueAt = null;
        ticket.CloseRequestedBy = ticket.CloseRequestReason = null;
    }

    /// <summary>The deadlines a message written at <paramref name="now"/> may set, one per issue level.</summary>
    public MessageTimers ForMessage(long now) => new(
        [.. IssueLevel.All.Select(l => NextResponseDue(l, now))],
        [.. IssueLevel.All.Select(l => AutoClose(l, now).WarnAt)],
        [.. IssueLevel.All.Select(l => AutoClose(l, now).CloseAt)]);

    private long? Due(long from, int? minutes) => minutes is { } m
        ? calendar.AddBusinessMinutes(DateTimeOffset.FromUnixTimeSeconds(from), m) is var due && due == DateTimeOffset.MaxValue ? null : due.ToUnixTimeSeconds()
        : null;
}

/// <summary>Per issue level (in <see cref="IssueLevel.All"/> order): the deadlines a visible message sets.</summary>
public sealed record MessageTimers(long?[] NextResponseDue, long?[] WarnAt, long?[] CloseAt);
