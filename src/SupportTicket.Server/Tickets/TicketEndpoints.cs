using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Tickets;

public static class TicketEndpoints
{
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddScoped<TicketService>();
        return services;
    }

    public static RouteGroupBuilder MapTickets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets").RequireAuthorization().WithRateLimits().WithTags("Tickets");

        group.MapPost("/", async (CreateTicketRequest request, [FromHeader(Name = "Idempotency-Key")] string? key,
            CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Created(await tickets.CreateAsync(user, request, key, ct), t => $"/api/v1/tickets/{t.Id}"))
            .WithName(RatePolicies.CreateTicket).WithSummary("Open a ticket").ProducesErrors([.. Responses.BodyErrors, 403, 409]);

        group.MapGet("/", async Task<Results<Ok<List<TicketDto>>, ApiErrorResult>> (HttpContext http, CurrentUser user, AppDbContext db,
            CancellationToken ct, string? status, [FromQuery(Name = "issue_level")] string? issueLevel,
            [FromQuery(Name = "assignee_id")] string? assigneeId, [FromQuery(Name = "user_id")] string? userId, string? q, int? limit, long? before,
            string? sla, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Lifecycle.SlaOptions> slaOptions) =>
        {
            var dueBefore = clock.GetUtcNow().ToUnixTimeSeconds() + slaOptions.Value.DueSoonMinutes * 60L;
            var query = new TicketListQuery(status, issueLevel, assigneeId, userId, q, limit ?? TicketQueries.DefaultLimit, before, sla?.Trim().ToLowerInvariant(), dueBefore);
            if (TicketQueries.Validate(query, out var statuses, out var levels) is { } error) return ApiErrors.Result(error);
            if (!string.IsNullOrEmpty(query.Sla) && !user.IsStaff) return ApiErrors.Result(ApiError.Forbidden("Only staff may filter by SLA"));
            var (page, more) = await TicketQueries.ListAsync(db, user, query, statuses, levels, ct);
            if (more) Paging.SetNext(http, "before", page[^1].Number.ToString());
            return TypedResults.Ok(page);
        }).WithName(RatePolicies.ListTickets)
            .WithSummary("List the tickets the caller may see, newest first (Link: rel=\"next\" pages on)").ProducesErrors(400, 403);

        group.MapGet("/{id}", async Task<Results<Ok<TicketDto>, ApiErrorResult>> (string id, CurrentUser user, TicketService tickets, CancellationToken ct) =>
        {
            var found = await tickets.FindVisibleAsync(user, id, ct);
            return found.Ok ? TypedResults.Ok(found.Value.ToDto(user)) : ApiErrors.Result(found.Error);
        }).WithName(RatePolicies.GetTicket).WithSummary("Get one ticket").ProducesErrors(404);

        // A raw JSON object, because "assignee_id": null (unassign) must differ from a field that is not sent;
        // Accepts gives the document the shape.
        group.MapPatch("/{id}", async (string id, JsonElement body, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Respond(await tickets.UpdateAsync(user, id, body, ct)))
            .WithName(RatePolicies.UpdateTicket).Accepts<UpdateTicketRequest>("application/json")
            .WithSummary("Change a ticket: only the fields sent; \"assignee_id\": null unassigns").ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapPost("/{id}/close", async (string id, CloseTicketRequest? request, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Respond(await tickets.CloseAsync(user, id, request?.Reason, ct)))
            .WithName(RatePolicies.CloseTicket).WithSummary("Close a ticket, with an optional reason").ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapPost("/{id}/reopen", async (string id, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Respond(await tickets.ReopenAsync(user, id, ct)))
            .WithName(RatePolicies.ReopenTicket).WithSummary("Reopen a closed ticket").ProducesErrors(403, 404, 409);

        group.MapDelete("/{id}", async (string id, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Done(await tickets.DeleteAsync(user, id, ct)))
            .WithName(RatePolicies.DeleteTicket).WithSummary("Delete a ticket and its messages (ADMIN)").ProducesErrors(403, 404);

        return group;
    }
}

// The PATCH body's shape, for the document only: the endpoint reads raw JSON to tell null from absent.
internal sealed record UpdateTicketRequest(string? Topic, string? Description, string? Status, string? IssueLevel, string? SupportRole, string? AssigneeId);
