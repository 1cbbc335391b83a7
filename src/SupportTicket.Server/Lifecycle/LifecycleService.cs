using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Lifecycle;

public sealed record CloseRequestBody(string? Reason);

public sealed record RatingRequest(int? Score, string? Comment);

/// <summary>Close requests and ratings: the agents' and customers' side of the lifecycle, through TicketService's write path.</summary>
public sealed class LifecycleService(TicketService tickets, TimeProvider clock, IOptions<LifecycleOptions> options)
{
    public const int CommentMax = 2000;

    /// <summary>An agent asks the customer whether the ticket may close; no answer in Lifecycle:CloseRequestHours closes it.</summary>
    public async Task<Result<TicketDto>> RequestCloseAsync(CurrentUser user, string id, string? reason, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var clean = FieldRules.Text(errors, "reason", reason, TicketRules.ReasonMax, required: false);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        var now = Now;
        return await tickets.ChangeAsync(user, id, EventTypes.TicketCloseRequested, ticket =>
        {
            if (!user.IsStaff) return ApiError.Forbidden("Only staff may ask to close a ticket");
            if (TicketAccess.IsClosed(ticket)) return TicketAccess.Closed(id);
            if (ticket.CloseRequestedAt is not null) return ApiError.Conflict($"Ticket {id} already has a pending close request");
            ticket.CloseRequestedAt = now;
            ticket.CloseRequestedBy = user.Id;
            ticket.CloseRequestReason = clean;
            ticket.CloseRequestDueAt = now + options.Value.CloseRequestHours * 3600L;
            return null;
        }, ct);
    }

    /// <summary>The customer agrees: the ticket closes (reason close_request_accepted), as any close.</summary>
    public async Task<Result<TicketDto>> AcceptCloseAsync(CurrentUser user, string id, CancellationToken ct)
    {
        if (await PendingForOwnerAsync(user, id, ct) is { } refused) return refused;
        var closed = await tickets.CloseClaimedAsync(user, id, CloseReasons.Accepted,
            q => q.Where(t => t.CloseRequestedAt != null).ExecuteUpdateAsync(s => s.SetProperty(t => t.CloseRequestDueAt, (long?)null), ct), ct);
        return closed is null ? NoRequest(id) : closed;
    }

    /// <summary>The customer keeps the ticket open: the request is withdrawn.</summary>
    public async Task<Result<TicketDto>> DeclineCloseAsync(CurrentUser user, string id, CancellationToken ct)
    {
        if (await PendingForOwnerAsync(user, id, ct) is { } refused) return refused;
        return await tickets.ChangeAsync(user, id, EventTypes.TicketUpdated, ticket =>
        {
            if (ticket.CloseRequestedAt is null || TicketAccess.IsClosed(ticket)) return NoRequest(id);
            ticket.CloseRequestedAt = ticket.CloseRequestDueAt = null;
            ticket.CloseRequestedBy = ticket.CloseRequestReason = null;
            return null;
        }, ct);
    }

    /// <summary>The owner rates a closed ticket once, within Lifecycle:RatingWindowDays of its close.</summary>
    public async Task<Result<TicketDto>> RateAsync(CurrentUser user, string id, RatingRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (request.Score is not (>= 1 and <= 5))
            errors.Add(new("score", "score must be a whole number from 1 to 5", request.Score is null ? "required" : "range"));
        var comment = FieldRules.Text(errors, "comment", request.Comment, CommentMax, required: false);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        var now = Now;
        var window = options.Value.RatingWindowDays;
        // The ticket's channel is retired: its row only writes the log channel's line.
        return await tickets.ChangeAsync(user, id, EventTypes.TicketRated, ticket =>
        {
            if (ticket.UserId != user.Id) return ApiError.Forbidden("Only the ticket's owner may rate it");
            if (!TicketAccess.IsClosed(ticket)) return ApiError.Conflict($"Ticket {id} is not closed; rate it after it closes");
            if (ticket.RatingScore is not null) return ApiError.Conflict($"Ticket {id} has been rated already");
            if (now - (ticket.ClosedAt ?? now) > window * 86_400L)
                return ApiError.Conflict($"Ticket {id} closed more than {window} days ago and can no longer be rated");
            ticket.RatingScore = request.Score;
            ticket.RatingComment = comment;
            ticket.RatedAt = now;
            return null;
        }, ct, outboxKind: OutboxKinds.TicketRated);
    }

    private async Task<ApiError?> PendingForOwnerAsync(CurrentUser user, string id, CancellationToken ct)
    {
        var found = await tickets.FindVisibleAsync(user, id, ct);
        if (!found.Ok) return found.Error;
        if (found.Value.UserId != user.Id) return ApiError.Forbidden("Only the ticket's owner may answer a close request");
        return found.Value.CloseRequestedAt is null || TicketAccess.IsClosed(found.Value) ? NoRequest(id) : null;
    }

    private static ApiError NoRequest(string id) => ApiError.Conflict($"Ticket {id} has no pending close request");

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();
}
