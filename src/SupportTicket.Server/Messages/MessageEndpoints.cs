using Microsoft.AspNetCore.Mvc;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

public static class MessageEndpoints
{
    public static IServiceCollection AddMessages(this IServiceCollection services)
    {
        services.AddScoped<MessageService>();
        // The EF model of a throw-away context; the model itself is shared and lives as long as the app.
        services.AddSingleton(sp =>
        {
            using var scope = sp.CreateScope();
            return new MessageSql(scope.ServiceProvider.GetRequiredService<AppDbContext>().Model);
        });
        services.AddSingleton<MessageBatcher>(sp => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
            ? ActivatorUtilities.CreateInstance<PostgresMessageBatcher>(sp)
            : ActivatorUtilities.CreateInstance<SqliteMessageBatcher>(sp));
        return services;
    }

    public static RouteGroupBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets/{ticketId}/messages").RequireAuthorization().WithRateLimits().WithTags("Messages");

        group.MapPost("/", async (string ticketId, PostMessageRequest request, [FromHeader(Name = "Idempotency-Key")] string? key,
            CurrentUser user, MessageService messages, CancellationToken ct) =>
        {
            var result = await messages.PostAsync(user, ticketId, request, key, ct: ct);
            return result.Ok
                ? Results.Created($"/api/v1/tickets/{ticketId}/messages/{result.Value.Message.Id}", result.Value.Message)
                : ApiErrors.Result(result.Error!);
        }).WithName(RatePolicies.PostMessage);

        group.MapGet("/", async (string ticketId, HttpContext http, CurrentUser user, MessageService messages, CancellationToken ct,
            [FromQuery(Name = "after_seq")] long? afterSeq, int? limit) =>
        {
            var errors = new List<FieldError>();
            if (afterSeq is < 0) errors.Add(new("after_seq", "after_seq must be 0 or more", "range"));
            if (limit is < 1 or > MessageService.MaxPage) errors.Add(new("limit", $"limit must be between 1 and {MessageService.MaxPage}", "range"));
            if (errors.Count > 0) return ApiErrors.Result(ApiError.BadRequest("Invalid query", errors));
            var result = await messages.ListAsync(user, ticketId, afterSeq ?? 0, limit ?? MessageService.DefaultPage, ct);
            if (!result.Ok) return ApiErrors.Result(result.Error!);
            var (page, more) = result.Value;
            if (more) Paging.SetNext(http, "after_seq", page[^1].Seq.ToString());
            return Results.Ok(page);
        }).WithName(RatePolicies.ListMessages);

        group.MapPatch("/{messageId}", async (string ticketId, string messageId, EditMessageRequest request,
            CurrentUser user, MessageService messages, CancellationToken ct) =>
            Responses.Respond(await messages.EditAsync(user, ticketId, messageId, request, ct)))
            .WithName(RatePolicies.EditMessage);

        group.MapDelete("/{messageId}", async (string ticketId, string messageId, CurrentUser user, MessageService messages, CancellationToken ct) =>
            await messages.DeleteAsync(user, ticketId, messageId, ct) is { } error ? ApiErrors.Result(error) : Results.NoContent())
            .WithName(RatePolicies.DeleteMessage);

        return group;
    }
}
