using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

public static class AdminDiscordEndpoints
{
    public static IEndpointRouteBuilder MapDiscordAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/discord", async Task<Results<Ok<DiscordStatusDto>, ApiErrorResult>> (CurrentUser user, DiscordStatus status,
                AppDbContext db, TimeProvider clock, CancellationToken ct) =>
            user.Role != Roles.Admin
                ? ApiErrors.Result(ApiError.Forbidden("Only ADMIN may read the Discord bot's status"))
                : TypedResults.Ok(await status.ReadAsync(db, clock, ct)))
            .RequireAuthorization().WithTags("Admin").WithName("DiscordStatus")
            .WithSummary("The Discord bot's state: gateway, outbox depth and oldest age, parked rows (ADMIN)").ProducesErrors(403);
        return app;
    }
}
