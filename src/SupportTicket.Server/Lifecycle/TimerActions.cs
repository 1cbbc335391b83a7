using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Metrics;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Lifecycle;

/// <summary>
/// What a due timer does. Each action claims its timer with a conditional update of the due time the scan read, in
/// the transaction that acts (TicketService.ChangeClaimedAsync / CloseClaimedAsync), so it happens once however
/// often it is tried. The warning message goes first, with an idempotency key derived from the due time: a crash
/// between it and the claim replays the same message instead of posting a second one.
/// </summary>
internal sealed class TimerActions(
    AppDbContext db, TicketService tickets, MessageService messages, TimeProvider clock, IOptions<LifecycleOptions> options,
    ILogger<TimerActions> logger)
{
    public Task FireAsync(TimerKind kind, DueTimer timer, CancellationToken ct) => kind switch
    {
        TimerKind.SlaFirstResponse => BreachAsync(timer, "first_response", q => q.Where(t => t.SlaFirstResponseDueAt == timer.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaFirstResponseDueAt, (long?)null), ct), ct),
        TimerKind.SlaNextResponse => BreachAsync(timer, "next_response", q => q.Where(t => t.SlaNextResponseDueAt == timer.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaNextResponseDueAt, (long?)null), ct), ct),
        TimerKind.AutoCloseWarning => WarnAsync(timer, ct),
        TimerKind.AutoClose => CloseAsync(timer, CloseReasons.Inactive, q => q.Where(t => t.AutoCloseAt == timer.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AutoCloseAt, (long?)null), ct), ct),
        _ => CloseAsync(timer, CloseReasons.NoAnswer, q => q.Where(t => t.CloseRequestDueAt == timer.Due)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.CloseRequestDueAt, (long?)null), ct), ct),
    };

    /// <summary>The identity the server acts as: staff, so its messages show to the customer as the team's.</summary>
    public CurrentUser System => new(AutoCloseWarning.SystemUserId, options.Value.SystemName, null, Roles.Admin);

    private async Task BreachAsync(DueTimer timer, string which, Func<IQueryable<Ticket>, Task<int>> claim, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var dto = await tickets.ChangeClaimedAsync(System, timer.TicketId, EventTypes.TicketSlaBreached, claim,
            t => t.SlaBreachedAt ??= now, OutboxKinds.SlaBreached, ct);
        if (dto is null) return;
        ServerMetrics.SlaBreaches.Add(1, new("issue_level", dto.IssueLevel), new("kind", which));
        ServerMetrics.TimersFired.Add(1, new KeyValuePair<string, object?>("kind", "sla_" + which));
        logger.LogInformation("Ticket {TicketId} missed its {Sla} SLA", timer.TicketId, which);
    }

    private async Task WarnAsync(DueTimer timer, CancellationToken ct)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == timer.TicketId && t.AutoCloseWarnAt == timer.Due, ct);
        if (ticket is null || TicketAccess.IsClosed(ticket) || ticket.AutoCloseAt is not { } closeAt) return;
        var when = DateTimeOffset.FromUnixTimeSeconds(closeAt).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var text = $"This ticket will be closed for inactivity on {when} unless you reply.";
        var posted = await messages.PostAsync(System, timer.TicketId, new PostMessageRequest(text, null, false),
            AutoCloseWarning.KeyFor(timer.TicketId, timer.Due), ct: ct, system: true);
        if (!posted.Ok) return; // closed meanwhile
        var dto = await tickets.ChangeClaimedAsync(System, timer.TicketId, EventTypes.TicketAutoCloseWarning,
            q => q.Where(t => t.AutoCloseWarnAt == timer.Due).ExecuteUpdateAsync(s => s.SetProperty(t => t.AutoCloseWarnAt, (long?)null), ct),
            _ => { }, null, ct);
        if (dto is not null) ServerMetrics.TimersFired.Add(1, new KeyValuePair<string, object?>("kind", "auto_close_warning"));
    }

    private async Task CloseAsync(DueTimer timer, string reason, Func<IQueryable<Ticket>, Task<int>> claim, CancellationToken ct)
    {
        if (await tickets.CloseClaimedAsync(System, timer.TicketId, reason, claim, ct) is null) return;
        ServerMetrics.TimersFired.Add(1, new KeyValuePair<string, object?>("kind", reason == CloseReasons.Inactive ? "auto_close" : "close_request"));
        logger.LogInformation("Ticket {TicketId} closed by its timer ({Reason})", timer.TicketId, reason);
    }
}

/// <summary>
/// The one home of "this message is the auto-close warning": the server's own message with the warning's idempotency
/// key. The reply mails (Email/ReplyDigests.cs) use it to send the warning mail instead of a plain digest.
/// </summary>
public static class AutoCloseWarning
{
    public const string SystemUserId = "system";
    private const string KeyPrefix = "auto-close-warning-";

    public static string KeyFor(string ticketId, long due) => $"{KeyPrefix}{ticketId}-{due}";

    public static bool Is(string authorId, string? idempotencyKey) =>
        authorId == SystemUserId && idempotencyKey?.StartsWith(KeyPrefix, StringComparison.Ordinal) == true;
}

/// <summary>Close reasons the server itself writes.</summary>
public static class CloseReasons
{
    public const string Inactive = "inactive";
    /// <summary>The customer did not answer an agent's close request in time.</summary>
    public const string NoAnswer = "close_request_expired";
    /// <summary>The customer accepted an agent's close request.</summary>
    public const string Accepted = "close_request_accepted";
}
