using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth;
using SupportTicket.Server.BusinessHours;
using SupportTicket.Server.Storage;
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

    /// <summary>
    /// The one rule for a change of level or status (TicketService.UpdateAsync, and a customer's answer taking a ticket
    /// out of WAITING): running deadlines are recomputed for the new level from when they started (the ticket's
    /// creation; <paramref name="waitingSince"/>, the first unanswered customer message; the time auto-close was armed),
    /// a deadline already missed is not started again, leaving WAITING disarms auto-close and entering it arms it.
    /// </summary>
    public void OnChange(Ticket ticket, string oldLevel, string oldStatus, long now, long? waitingSince)
    {
        if (ticket.IssueLevel != oldLevel)
        {
            var (was, level) = (sla.Value.For(oldLevel), ticket.IssueLevel);
            if (ticket.FirstResponseAt is null && (ticket.SlaFirstResponseDueAt is not null || was?.FirstResponseMinutes is null))
                ticket.SlaFirstResponseDueAt = FirstResponseDue(level, ticket.CreatedAt);
            if (ticket.SlaNextResponseDueAt is not null || was?.NextResponseMinutes is null)
                ticket.SlaNextResponseDueAt = ticket.FirstResponseAt is not null && waitingSince is { } since ? NextResponseDue(level, since) : null;
            if (ticket.AutoCloseAt is { } closeAt)
            {
                var (warn, close) = AutoClose(level, closeAt - lifecycle.Value.AutoCloseHoursFor(oldLevel) * 3600L);
                // A warning that went out is not sent again.
                (ticket.AutoCloseWarnAt, ticket.AutoCloseAt) = (ticket.AutoCloseWarnAt is null ? null : warn, close);
            }
        }
        if (oldStatus == TicketStatus.Waiting && ticket.Status != TicketStatus.Waiting)
            ticket.AutoCloseWarnAt = ticket.AutoCloseAt = null;
        else if (oldStatus != TicketStatus.Waiting && ticket.Status == TicketStatus.Waiting && ticket.AutoCloseAt is null)
            (ticket.AutoCloseWarnAt, ticket.AutoCloseAt) = AutoClose(ticket.IssueLevel, now);
    }

    /// <summary>
    /// When the customer's oldest unanswered visible message was written: what the next-response deadline counts from
    /// (the same messages as the SQL in Storage/MessageSql.cs: the server's own warning answers nothing).
    /// </summary>
    public static Task<long?> WaitingSinceAsync(AppDbContext db, string ticketId, CancellationToken ct)
    {
        var visible = db.Messages.Where(m => m.TicketId == ticketId && !m.Internal);
        var staff = visible.Where(m => (m.AuthorRole == Roles.Agent || m.AuthorRole == Roles.Admin) && m.AuthorId != AutoCloseWarning.SystemUserId);
        return visible.Where(m => m.AuthorRole != Roles.Agent && m.AuthorRole != Roles.Admin && m.Seq > (staff.Max(x => (long?)x.Seq) ?? 0))
            .MinAsync(m => (long?)m.CreatedAt, ct);
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
