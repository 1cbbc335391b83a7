using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Auth.Revocations;

public static class RevocationEndpoints
{
    public static RouteGroupBuilder MapRevocations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/revocations")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithRateLimits().WithTags("Admin");

        group.MapPost("/", async (RevokeRequest request, CurrentUser admin, RevocationService revocations, CancellationToken ct) =>
        {
            var result = await revocations.RevokeAsync(admin, request, ct);
            if (!result.Ok) return ApiErrors.Result(result.Error!);
            return result.Value is { } created ? Results.Created($"/api/v1/admin/revocations/{created.Id}", created) : Results.NoContent();
        }).WithName(RatePolicies.Revoke);

        group.MapGet("/", async (RevocationService revocations, CancellationToken ct) => Results.Ok(await revocations.ActiveAsync(ct)))
            .WithName(RatePolicies.ListRevocations);

        return group;
    }
}
