using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Webhooks;

public static class WebhookEndpoints
{
    public const int DefaultDeliveries = 50;
    public const int MaxDeliveries = 200;

    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<WebhookHttp>();
        services.AddSingleton<WebhookSender>();
        services.AddScoped<WebhookAdmin>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/webhooks")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithRateLimits().WithTags("Webhooks");

        group.MapPost("/", async Task<Results<Created<WebhookDto>, ApiErrorResult>> (CreateWebhookRequest request, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Created(await admin.CreateAsync(request, ct), w => $"/api/v1/admin/webhooks/{w.Id}"))
            .WithName(RatePolicies.CreateWebhook).WithSummary("Subscribe an endpoint; the answer shows its signing secret, once (ADMIN)")
            .ProducesErrors([.. Responses.BodyErrors, 403]);

        group.MapGet("/", async Task<Ok<List<WebhookDto>>> (WebhookAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct)))
            .WithName(RatePolicies.ListWebhooks).WithSummary("The webhook endpoints, from configuration and the API (ADMIN)").ProducesErrors(403);

        group.MapGet("/{id}", async Task<Results<Ok<WebhookDto>, ApiErrorResult>> (string id, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Respond(await admin.GetAsync(id, ct)))
            .WithName(RatePolicies.GetWebhook).WithSummary("One webhook endpoint (ADMIN)").ProducesErrors(403, 404);

        group.MapPatch("/{id}", async Task<Results<Ok<WebhookDto>, ApiErrorResult>> (string id, UpdateWebhookRequest request, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Respond(await admin.UpdateAsync(id, request, ct)))
            .WithName(RatePolicies.UpdateWebhook).WithSummary("Change url, events, description or enabled; only the fields sent (ADMIN)")
            .ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapDelete("/{id}", async Task<Results<NoContent, ApiErrorResult>> (string id, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Done(await admin.DeleteAsync(id, ct)))
            .WithName(RatePolicies.DeleteWebhook).WithSummary("Remove an endpoint, its queue and its delivery log (ADMIN)").ProducesErrors(403, 404, 409);

        group.MapPost("/{id}/rotate-secret", async Task<Results<Ok<WebhookDto>, ApiErrorResult>> (string id, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Respond(await admin.RotateSecretAsync(id, ct)))
            .WithName(RatePolicies.RotateWebhookSecret).WithSummary("A new secret, shown once; the old one keeps signing beside it for 24 h (ADMIN)")
            .ProducesErrors(403, 404, 409);

        group.MapPost("/{id}/ping", async Task<Results<Accepted<PingDto>, ApiErrorResult>> (string id, WebhookAdmin admin, CancellationToken ct) =>
        {
            var result = await admin.PingAsync(id, ct);
            return result.Ok ? TypedResults.Accepted((string?)null, result.Value) : ApiErrors.Result(result.Error!);
        }).WithName(RatePolicies.PingWebhook)
            .WithSummary("Queue a ping event; the delivering node sends it and its deliveries show how the endpoint answered (ADMIN)")
            .ProducesErrors(403, 404, 409);

        group.MapGet("/{id}/deliveries", async Task<Results<Ok<List<WebhookDeliveryDto>>, ApiErrorResult>> (string id, HttpContext http,
            WebhookAdmin admin, CancellationToken ct, long? before, int? limit) =>
        {
            if (limit is < 1 or > MaxDeliveries)
                return ApiErrors.Result(ApiError.BadRequest("Invalid query parameters",
                    [new("limit", $"limit must be between 1 and {MaxDeliveries}", "range")]));
            var take = limit ?? DefaultDeliveries;
            var result = await admin.DeliveriesAsync(id, before, take, ct);
            if (!result.Ok) return ApiErrors.Result(result.Error!);
            if (result.Value!.Count == take) Paging.SetNext(http, "before", result.Value[^1].Id.ToString());
            return TypedResults.Ok(result.Value);
        }).WithName(RatePolicies.ListWebhookDeliveries)
            .WithSummary("Delivery attempts, newest first (Link: rel=\"next\" pages on) (ADMIN)").ProducesErrors(400, 403, 404);

        group.MapPost("/{id}/deliveries/{deliveryId:long}/redeliver", async Task<Results<Accepted<RedeliveryDto>, ApiErrorResult>> (
            string id, long deliveryId, WebhookAdmin admin, CancellationToken ct) =>
        {
            var result = await admin.RedeliverAsync(id, deliveryId, ct);
            return result.Ok ? TypedResults.Accepted((string?)null, result.Value) : ApiErrors.Result(result.Error!);
        }).WithName(RatePolicies.RedeliverWebhook).WithSummary("Queue a delivery's event again: same id, same body (ADMIN)")
            .ProducesErrors(403, 404, 409);

        return group;
    }
}
