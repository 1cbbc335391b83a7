using Microsoft.Extensions.Options;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Lifecycle;

public static class LifecycleEndpoints
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services)
    {
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>();
        services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LifecycleOptions>, LifecycleOptionsValidator>();
        services.AddSingleton<TicketTimers>();
        services.AddScoped<TimerActions>();
        services.AddScoped<LifecycleService>();
        services.AddScoped<StatsService>();
        services.AddSingleton<TimerService>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerService>());
        return services;
    }

    public static IEndpointRouteBuilder MapLifecycle(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets").RequireAuthorization().WithRateLimits().WithTags("Tickets");

        group.MapPost("/{id}/close-request", async (string id, CloseRequestBody? request, CurrentUser user, LifecycleService lifecycle, CancellationToken ct) =>
            Responses.Respond(await lifecycle.RequestCloseAsync(user, id, request?.Reason, ct)))
            .WithName(RatePolicies.RequestClose).WithSummary("Ask the customer whether the ticket may close (staff); no answer in Lifecycle:CloseRequestHours closes it")
            .ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        group.MapPost("/{id}/close-request/accept", async (string id, CurrentUser user, LifecycleService lifecycle, CancellationToken ct) =>
            Responses.Respond(await lifecycle.AcceptCloseAsync(user, id, ct)))
            .WithName(RatePolicies.AnswerCloseRequest).WithSummary("Accept the pending close request (owner): the ticket closes")
            .ProducesErrors(403, 404, 409);

        group.MapPost("/{id}/close-request/decline", async (string id, CurrentUser user, LifecycleService lifecycle, CancellationToken ct) =>
            Responses.Respond(await lifecycle.DeclineCloseAsync(user, id, ct)))
            .WithName(RatePolicies.DeclineCloseRequest).WithSummary("Decline the pending close request (owner): the ticket stays open")
            .ProducesErrors(403, 404, 409);

        group.MapPost("/{id}/rating", async (string id, RatingRequest request, CurrentUser user, LifecycleService lifecycle, CancellationToken ct) =>
            Responses.Respond(await lifecycle.RateAsync(user, id, request, ct)))
            .WithName(RatePolicies.RateTicket).WithSummary("Rate a closed ticket once, 1-5 with an optional comment (owner, within Lifecycle:RatingWindowDays)")
            .ProducesErrors([.. Responses.BodyErrors, 403, 404, 409]);

        app.MapGroup("/api/v1/admin/stats").RequireAuthorization().WithRateLimits().WithTags("Stats")
            .MapGet("/", async (HttpContext http, CurrentUser user, StatsService stats, CancellationToken ct,
                long? from, long? to, string? level, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "agent_id")] string? agentId) =>
                Responses.Respond(await stats.ComputeAsync(user, new StatsQuery(from, to, level, agentId), ct)))
            .WithName(RatePolicies.GetStats).WithSummary("Team figures for a period: opened, closed, response and resolution times, SLA breaches, CSAT, per agent (staff)")
            .ProducesErrors(400, 403);
        return app;
    }
}
