using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Api;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Auth.Revocations;

public static class RevocationEndpoints
{
    public static RouteGroupBuilder MapRevocations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/revocations")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithRateLimits().WithTags("Admin");

        group.MapPost("/", async Task<Results<Created<RevocationDto>, NoContent, ApiErrorResult>> (RevokeRequest request, CurrentUser admin,
            RevocationService revocations, CancellationToken ct) =>
        {
            var result = await revocations.RevokeAsync(admin, request, ct);
            if (!result.Ok) return ApiErrors.Result(result.Error);
            return result.Value is { } created ? TypedResults.Created($"/api/v1/admin/revocations/{created.Id}", created) : TypedResults.NoContent();
        }).WithName(RatePolicies.Revoke)
            .WithSummary("Revoke one token (jti) or every token of a user issued before now (user_id); 204 when that jti is already revoked (ADMIN)")
            .ProducesErrors([.. Responses.BodyErrors, 403]);

        group.MapGet("/", async (RevocationService revocations, CancellationToken ct) => TypedResults.Ok(await revocations.ActiveAsync(ct)))
            .WithName(RatePolicies.ListRevocations).WithSummary("The active revocations, newest first (ADMIN)").ProducesErrors(403);

        return group;
    }
}
