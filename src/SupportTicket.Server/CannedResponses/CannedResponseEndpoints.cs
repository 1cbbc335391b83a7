using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.CannedResponses;

public static class CannedResponseEndpoints
{
    public static IServiceCollection AddCannedResponses(this IServiceCollection services)
    {
        services.AddScoped<CannedResponseService>();
        return services;
    }

    public static RouteGroupBuilder MapCannedResponses(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/canned-responses")
            .RequireAuthorization(p => p.RequireRole(Roles.Agent, Roles.Admin)).WithRateLimits().WithTags("Canned responses");

        group.MapGet("/", async (string? level, CannedResponseService canned, CancellationToken ct) => Responses.Respond(await canned.ListAsync(level, ct)))
            .WithName(RatePolicies.ListCannedResponses)
            .WithSummary("List canned responses by name; ?level= gives those offered on a ticket of that level (staff)").ProducesErrors(400, 403);

        group.MapGet("/{id}", async (string id, CannedResponseService canned, CancellationToken ct) => Responses.Respond(await canned.GetAsync(id, ct)))
            .WithName(RatePolicies.GetCannedResponse).WithSummary("Get one canned response (staff)").ProducesErrors(403, 404);

        group.MapPost("/", async Task<Results<Created<CannedResponseDto>, ApiErrorResult>> (CreateCannedResponseRequest request, CannedResponseService canned, CancellationToken ct) =>
            Responses.Created(await canned.CreateAsync(request, ct), c => $"/api/v1/canned-responses/{c.Id}"))
            .RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithName(RatePolicies.CreateCannedResponse)
            .WithSummary("Create a canned response (ADMIN)").ProducesErrors([.. Responses.BodyErrors, 403, 409]);

        // Raw JSON, so "level": null (every level) differs from a level that is not sent.
        group.MapPatch("/{id}", async (string id, JsonElement body, CannedResponseService canned, CancellationToken ct) =>
            Responses.Respond(await canned.UpdateAsync(id, body, ct)))
            .RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithName(RatePolicies.UpdateCannedResponse)
            .Accepts<UpdateCannedResponseRequest>("application/json")
            .WithSummary("Change a canned response: only the fields sent; \"level\": null offers it on every level (ADMIN)")
            .ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapDelete("/{id}", async (string id, CannedResponseService canned, CancellationToken ct) => Responses.Done(await canned.DeleteAsync(id, ct)))
            .RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithName(RatePolicies.DeleteCannedResponse)
            .WithSummary("Delete a canned response (ADMIN)").ProducesErrors(403, 404);

        return group;
    }
}
