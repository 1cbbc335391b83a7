using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.BusinessHours;

/// <summary><c>next_open_at</c>: Unix seconds, null while open (or when no opening lies within a year).</summary>
public sealed record StatusDto(bool Open, long? NextOpenAt, string Message);

public static class StatusEndpoints
{
    public static IServiceCollection AddBusinessHours(this IServiceCollection services)
    {
        services.AddOptions<BusinessHoursOptions>().BindConfiguration(BusinessHoursOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusinessHoursOptions>, BusinessHoursOptionsValidator>();
        services.AddSingleton<BusinessCalendar>();
        services.AddSingleton<TeamStatus>();
        services.AddHostedService<StatusBroadcaster>();
        return services;
    }

    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/status").WithRateLimits().WithTags("Status")
            .MapGet("/", Ok<StatusDto> (TeamStatus status) => TypedResults.Ok(status.Now()))
            .WithName(RatePolicies.GetStatus).WithSummary("Whether the team is within business hours, and when it is back (no token needed)");
        return app;
    }
}

/// <summary>The status answered by GET /api/v1/status and pushed as the hub's <c>status</c> event.</summary>
public sealed class TeamStatus(BusinessCalendar calendar, IOptions<BusinessHoursOptions> options, TimeProvider clock)
{
    public StatusDto Now() => At(clock.GetUtcNow());

    public StatusDto At(DateTimeOffset now)
    {
        if (calendar.IsOpen(now)) return new StatusDto(true, null, options.Value.OpenMessage);
        var next = calendar.NextOpen(now);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone!.Trim());
        var when = next is { } n ? TimeZoneInfo.ConvertTime(n, zone).ToString("ddd HH:mm", CultureInfo.InvariantCulture) : "further notice";
        return new StatusDto(false, next?.ToUnixTimeSeconds(), options.Value.ClosedMessage.Replace("{next_open}", when));
    }
}
