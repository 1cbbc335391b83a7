using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Api;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Outbox;

public sealed record OutboxRowDto(
    long Id, string TicketId, string Kind, string? MessageId, string State, int Attempts, long CreatedAt, long NextAttemptAt, long? ParkedAt,
    string? LastError);

// The operator's handle on rows Discord refused for good (issue #24): a parked row holds back its ticket's later
// changes, so it is listed with its error, and retried (after fixing the cause: a permission, a full category) or
// discarded (its change never reaches Discord; the ticket's next rows go on). ADMIN only.
public static class AdminOutboxEndpoints
{
    public const string Parked = "parked";
    public const string Waiting = "waiting";
    private const int MaxRows = 200;

    public static IEndpointRouteBuilder MapOutboxAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/outbox").RequireAuthorization().WithTags("Admin");
        group.MapGet("/", async Task<Results<Ok<List<OutboxRowDto>>, ApiErrorResult>> (CurrentUser user, AppDbContext db, string? state, CancellationToken ct) =>
        {
            if (Deny(user) is { } denied) return denied;
            var rows = db.Outbox.AsQueryable();
            switch (state)
            {
                case null: break;
                case Parked: rows = rows.Where(o => o.ParkedAt != null); break;
                case Waiting: rows = rows.Where(o => o.ParkedAt == null); break;
                default:
                    return ApiErrors.Result(ApiError.BadRequest("Invalid query parameter",
                        [new FieldError("state", $"state must be '{Parked}' or '{Waiting}'", "enum")]));
            }
            var list = await rows.OrderBy(o => o.Id).Take(MaxRows).ToListAsync(ct);
            return TypedResults.Ok(list.Select(Dto).ToList());
        }).WithName("ListOutbox").ProducesErrors(400, 403).WithSummary(
            "Discord outbox rows, oldest first (at most 200); ?state=parked lists those Discord refused for good, with the error (ADMIN)");

        group.MapPost("/{id:long}/retry", async Task<Results<Ok<OutboxRowDto>, ApiErrorResult>> (long id, CurrentUser user, AppDbContext db, OutboxWriter outbox, TimeProvider clock, CancellationToken ct) =>
        {
            if (Deny(user) is { } denied) return denied;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            // Read before the update: once woken, the sender may apply and delete the row before a read after it.
            var row = await db.Outbox.FirstOrDefaultAsync(o => o.Id == id, ct);
            if (row is null || await db.Outbox.Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.ParkedAt, (long?)null).SetProperty(o => o.NextAttemptAt, now), ct) == 0)
                return Missing(id);
            (row.ParkedAt, row.NextAttemptAt) = (null, now);
            outbox.Wake();
            return TypedResults.Ok(Dto(row));
        }).WithName("RetryOutboxRow").ProducesErrors(403, 404)
            .WithSummary("Try a parked (or backing-off) outbox row again now; its ticket's later changes follow it (ADMIN)");

        group.MapPost("/{id:long}/discard", async Task<Results<NoContent, ApiErrorResult>> (long id, CurrentUser user, AppDbContext db, OutboxWriter outbox, ILoggerFactory logs, CancellationToken ct) =>
        {
            if (Deny(user) is { } denied) return denied;
            if (await db.Outbox.FirstOrDefaultAsync(o => o.Id == id, ct) is not { } row) return Missing(id);
            // A waiting row may be in Discord's hands right now; only a parked one is certainly at rest.
            if (row.ParkedAt is null || await db.Outbox.Where(o => o.Id == id && o.ParkedAt != null).ExecuteDeleteAsync(ct) == 0)
                return ApiErrors.Result(ApiError.Conflict($"Outbox row {id} is not parked; only parked rows can be discarded"));
            logs.CreateLogger(typeof(AdminOutboxEndpoints)).LogWarning(
                "Outbox row {RowId} ({Kind}) of ticket {TicketId} discarded by {User}: this change will not reach Discord", id, row.Kind, row.TicketId, user.Id);
            outbox.Wake();
            return TypedResults.NoContent();
        }).WithName("DiscardOutboxRow").ProducesErrors(403, 404, 409)
            .WithSummary("Drop a parked outbox row: its change never reaches Discord and the ticket's later changes go on (ADMIN)");
        return app;
    }

    private static ApiErrorResult? Deny(CurrentUser user) =>
        user.Role != Roles.Admin ? ApiErrors.Result(ApiError.Forbidden("Only ADMIN may manage the Discord outbox")) : null;

    private static ApiErrorResult Missing(long id) => ApiErrors.Result(ApiError.NotFound($"Outbox row {id} not found"));

    private static OutboxRowDto Dto(OutboxRow o) => new(o.Id, o.TicketId, o.Kind, o.MessageId, o.ParkedAt is null ? Waiting : Parked, o.Attempts,
        o.CreatedAt / 1000, o.NextAttemptAt / 1000, o.ParkedAt / 1000, o.LastError);
}
