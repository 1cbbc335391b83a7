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

        group.MapPost("/", async (CreateWebhookRequest request, WebhookAdmin admin, CancellationToken ct) =>
        {
            var result = await admin.CreateAsync(request, ct);
            return result.Ok ? Results.Created($"/api/v1/admin/webhooks/{result.Value!.Id}", result.Value) : ApiErrors.Result(result.Error!);
        }).WithName(RatePolicies.CreateWebhook);

        group.MapGet("/", async (WebhookAdmin admin, CancellationToken ct) => Results.Ok(await admin.ListAsync(ct)))
            .WithName(RatePolicies.ListWebhooks);

        group.MapGet("/{id}", async (string id, WebhookAdmin admin, CancellationToken ct) => Responses.Respond(await admin.GetAsync(id, ct)))
            .WithName(RatePolicies.GetWebhook);

        group.MapPatch("/{id}", async (string id, UpdateWebhookRequest request, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Respond(await admin.UpdateAsync(id, request, ct))).WithName(RatePolicies.UpdateWebhook);

        group.MapDelete("/{id}", async (string id, WebhookAdmin admin, CancellationToken ct) =>
            await admin.DeleteAsync(id, ct) is { } error ? ApiErrors.Result(error) : Results.NoContent()).WithName(RatePolicies.DeleteWebhook);

        group.MapPost("/{id}/rotate-secret", async (string id, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Respond(await admin.RotateSecretAsync(id, ct))).WithName(RatePolicies.RotateWebhookSecret);

        group.MapPost("/{id}/ping", async (string id, WebhookAdmin admin, CancellationToken ct) =>
            Responses.Respond(await admin.PingAsync(id, ct))).WithName(RatePolicies.PingWebhook);

        group.MapGet("/{id}/deliveries", async (string id, HttpContext http, WebhookAdmin admin, CancellationToken ct, long? before, int? limit) =>
        {
            if (limit is < 1 or > MaxDeliveries)
                return ApiErrors.Result(ApiError.BadRequest("Invalid query parameters",
                    [new("limit", $"limit must be between 1 and {MaxDeliveries}", "range")]));
            var take = limit ?? DefaultDeliveries;
            var result = await admin.DeliveriesAsync(id, before, take, ct);
            if (!result.Ok) return ApiErrors.Result(result.Error!);
            if (result.Value!.Count == take) Paging.SetNext(http, "before", result.Value[^1].Id.ToString());
            return Results.Ok(result.Value);
        }).WithName(RatePolicies.ListWebhookDeliveries);

        group.MapPost("/{id}/deliveries/{deliveryId:long}/redeliver", async (string id, long deliveryId, WebhookAdmin admin, CancellationToken ct) =>
        {
            var result = await admin.RedeliverAsync(id, deliveryId, ct);
            return result.Ok ? Results.Accepted(value: result.Value) : ApiErrors.Result(result.Error!);
        }).WithName(RatePolicies.RedeliverWebhook);

        return group;
    }
}
