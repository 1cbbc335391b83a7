using System.Text.Json;
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
        // Built on SQLite too (cheap: strings and delegates, no connection until PostgreSQL's first create).
        services.AddSingleton(sp =>
        {
            using var scope = sp.CreateScope();
            return new TicketSql(scope.ServiceProvider.GetRequiredService<AppDbContext>().Model);
        });
        services.AddSingleton<PostgresTicketBatcher>();
        return services;
    }

    public static RouteGroupBuilder MapTickets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets").RequireAuthorization().WithRateLimits().WithTags("Tickets");

        group.MapPost("/", async (CreateTicketRequest request, [FromHeader(Name = "Idempotency-Key")] string? key,
            CurrentUser user, TicketService tickets, CancellationToken ct) =>
        {
            var result = await tickets.CreateAsync(user, request, key, ct);
            return result.Ok
                ? Results.Created($"/api/v1/tickets/{result.Value.Ticket.Id}", result.Value.Ticket)
                : ApiErrors.Result(result.Error!);
        }).WithName(RatePolicies.CreateTicket);

        group.MapGet("/", async (HttpContext http, CurrentUser user, AppDbContext db, CancellationToken ct,
            string? status, [FromQuery(Name = "issue_level")] string? issueLevel, [FromQuery(Name = "assignee_id")] string? assigneeId,
            [FromQuery(Name = "user_id")] string? userId, string? q, int? limit, long? before) =>
        {
            var query = new TicketListQuery(status, issueLevel, assigneeId, userId, q, limit ?? TicketQueries.DefaultLimit, before);
            if (TicketQueries.Validate(query, out var statuses, out var levels) is { } error) return ApiErrors.Result(error);
            var (page, more) = await TicketQueries.ListAsync(db, user, query, statuses, levels, ct);
            if (more) Paging.SetNext(http, "before", page[^1].Number.ToString());
            return Results.Ok(page);
        }).WithName(RatePolicies.ListTickets);

        group.MapGet("/{id}", async (string id, CurrentUser user, TicketService tickets, CancellationToken ct) =>
        {
            var found = await tickets.FindVisibleAsync(user, id, ct);
            return found.Ok ? Results.Ok(found.Value!.ToDto(user)) : ApiErrors.Result(found.Error!);
        }).WithName(RatePolicies.GetTicket);

        // A raw JSON object, because "assignee_id": null (unassign) must differ from a field that is not sent.
        group.MapPatch("/{id}", async (string id, JsonElement body, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Respond(await tickets.UpdateAsync(user, id, body, ct))).WithName(RatePolicies.UpdateTicket);

        group.MapPost("/{id}/close", async (string id, CloseTicketRequest? request, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Respond(await tickets.CloseAsync(user, id, request?.Reason, ct))).WithName(RatePolicies.CloseTicket);

        group.MapPost("/{id}/reopen", async (string id, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            Responses.Respond(await tickets.ReopenAsync(user, id, ct))).WithName(RatePolicies.ReopenTicket);

        group.MapDelete("/{id}", async (string id, CurrentUser user, TicketService tickets, CancellationToken ct) =>
            await tickets.DeleteAsync(user, id, ct) is { } error ? ApiErrors.Result(error) : Results.NoContent())
            .WithName(RatePolicies.DeleteTicket);

        return group;
    }
}
