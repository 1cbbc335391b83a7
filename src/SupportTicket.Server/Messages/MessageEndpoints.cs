using Microsoft.AspNetCore.Http.HttpResults;
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
        return services;
    }

    public static RouteGroupBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets/{ticketId}/messages").RequireAuthorization().WithRateLimits().WithTags("Messages");

        group.MapPost("/", async (string ticketId, PostMessageRequest request, [FromHeader(Name = "Idempotency-Key")] string? key,
            CurrentUser user, MessageService messages, HttpRequest http, CancellationToken ct) =>
            Responses.Created(await messages.PostAsync(user, ticketId, request, key, ct: ct, baseUrl: Attachments.AttachmentLinks.BaseUrl(http)),
                m => $"/api/v1/tickets/{ticketId}/messages/{m.Id}"))
            .WithName(RatePolicies.PostMessage).WithSummary("Post a message (Idempotency-Key makes a retry safe)")
            .ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapGet("/", async Task<Results<Ok<List<MessageDto>>, ApiErrorResult>> (string ticketId, HttpContext http, CurrentUser user,
            MessageService messages, CancellationToken ct, [FromQuery(Name = "after_seq")] long? afterSeq, int? limit) =>
        {
            var errors = new List<FieldError>();
            if (afterSeq is < 0) errors.Add(new("after_seq", "after_seq must be 0 or more", "range"));
            if (limit is < 1 or > MessageService.MaxPage) errors.Add(new("limit", $"limit must be between 1 and {MessageService.MaxPage}", "range"));
            if (errors.Count > 0) return ApiErrors.Result(ApiError.BadRequest("Invalid query", errors));
            var result = await messages.ListAsync(user, ticketId, afterSeq ?? 0, limit ?? MessageService.DefaultPage, ct);
            if (!result.Ok) return ApiErrors.Result(result.Error);
            var (page, more) = result.Value;
            if (more) Paging.SetNext(http, "after_seq", page[^1].Seq.ToString());
            return TypedResults.Ok(page);
        }).WithName(RatePolicies.ListMessages)
            .WithSummary("Read a ticket's messages after a seq (catch-up), oldest first (Link: rel=\"next\" pages on)").ProducesErrors(400, 404);

        group.MapPatch("/{messageId}", async (string ticketId, string messageId, EditMessageRequest request,
            CurrentUser user, MessageService messages, CancellationToken ct) =>
            Responses.Respond(await messages.EditAsync(user, ticketId, messageId, request, ct)))
            .WithName(RatePolicies.EditMessage).WithSummary("Edit your own message").ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapDelete("/{messageId}", async (string ticketId, string messageId, CurrentUser user, MessageService messages, CancellationToken ct) =>
            Responses.Done(await messages.DeleteAsync(user, ticketId, messageId, ct)))
            .WithName(RatePolicies.DeleteMessage).WithSummary("Delete a message (its author or staff; on a closed ticket staff only)")
            .ProducesErrors(403, 404, 409);

        return group;
    }
}
