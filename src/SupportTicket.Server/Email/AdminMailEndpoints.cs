using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Email;

public sealed record MailRowDto(
    long Id, string MessageId, string Kind, string? TicketId, string To, string State, int Attempts, long CreatedAt, long NextAttemptAt,
    string? LastError);

// The operator's handle on mail the sender gave up on (parked after MailSender.MaxAttempts, or an address the SMTP
// server refused): listed with its error, retried after fixing the cause (same Message-ID, so never a second copy),
// or discarded. Like the Discord outbox's (Outbox/AdminOutboxEndpoints.cs); ADMIN only.
public static class AdminMailEndpoints
{
    private const int MaxRows = 200;

    public static IEndpointRouteBuilder MapEmailAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/email/outbox").RequireAuthorization().WithTags("Admin");
        group.MapGet("/", async Task<Results<Ok<List<MailRowDto>>, ApiErrorResult>> (CurrentUser user, AppDbContext db, string? state, CancellationToken ct) =>
        {
            if (Deny(user) is { } denied) return denied;
            state ??= EmailStates.Parked;
            if (state is not (EmailStates.Parked or EmailStates.Waiting))
                return ApiErrors.Result(ApiError.BadRequest("Invalid query parameter",
                    [new FieldError("state", $"state must be '{EmailStates.Parked}' or '{EmailStates.Waiting}'", "enum")]));
            var rows = await db.EmailOutbox.Where(r => r.State == state).OrderBy(r => r.Id).Take(MaxRows).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(Dto).ToList());
        }).WithName("ListMailOutbox").ProducesErrors(400, 403).WithSummary(
            "Outgoing mail not sent yet, oldest first (at most 200): ?state=parked (the default) for mail given up on, with its error; ?state=waiting (ADMIN)");

        group.MapPost("/{id:long}/retry", async Task<Results<Ok<MailRowDto>, ApiErrorResult>> (long id, CurrentUser user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (Deny(user) is { } denied) return denied;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            // A parked row starts a fresh series of attempts; a waiting one only ends its backoff. A sent row stays sent.
            var moved = await db.EmailOutbox.Where(r => r.Id == id && (r.State == EmailStates.Parked || r.State == EmailStates.Waiting))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, r => r.State == EmailStates.Parked ? 0 : r.Attempts)
                    .SetProperty(r => r.State, EmailStates.Waiting).SetProperty(r => r.NextAttemptAt, now), ct);
            var row = await db.EmailOutbox.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (row is null) return Missing(id);
            return moved == 1 ? TypedResults.Ok(Dto(row)) : ApiErrors.Result(ApiError.Conflict($"Mail {id} was sent already"));
        }).WithName("RetryMail").ProducesErrors(403, 404, 409)
            .WithSummary("Send a parked (or backing-off) mail again at the sender's next round, with its own Message-ID (ADMIN)");

        group.MapPost("/{id:long}/discard", async Task<Results<NoContent, ApiErrorResult>> (long id, CurrentUser user, AppDbContext db, ILoggerFactory logs, CancellationToken ct) =>
        {
            if (Deny(user) is { } denied) return denied;
            if (await db.EmailOutbox.FirstOrDefaultAsync(r => r.Id == id, ct) is not { } row) return Missing(id);
            // A waiting row may be on its way to the SMTP server right now; only a parked one is certainly at rest.
            if (await db.EmailOutbox.Where(r => r.Id == id && r.State == EmailStates.Parked).ExecuteDeleteAsync(ct) == 0)
                return ApiErrors.Result(ApiError.Conflict($"Mail {id} is not parked; only parked mail can be discarded"));
            logs.CreateLogger(typeof(AdminMailEndpoints)).LogWarning(
                "Mail {MessageId} ({Kind}, ticket {TicketId}) discarded by {User}: it will not be sent", row.MessageId, row.Kind, row.TicketId, user.Id);
            return TypedResults.NoContent();
        }).WithName("DiscardMail").ProducesErrors(403, 404, 409)
            .WithSummary("Drop a parked mail: it is never sent (ADMIN)");
        return app;
    }

    private static ApiErrorResult? Deny(CurrentUser user) =>
        user.Role != Roles.Admin ? ApiErrors.Result(ApiError.Forbidden("Only ADMIN may manage outgoing mail")) : null;

    private static ApiErrorResult Missing(long id) => ApiErrors.Result(ApiError.NotFound($"Mail {id} not found"));

    private static MailRowDto Dto(EmailOutboxRow r) => new(r.Id, r.MessageId, r.Kind, r.TicketId, r.ToAddress, r.State, r.Attempts,
        r.CreatedAt / 1000, r.NextAttemptAt / 1000, r.LastError);
}
