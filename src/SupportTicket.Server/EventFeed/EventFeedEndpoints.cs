using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.EventFeed;

public static class EventFeedEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static IServiceCollection AddEventFeed(this IServiceCollection services)
    {
        services.AddOptions<EventFeedOptions>().BindConfiguration(EventFeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventWriter>();
        services.AddSingleton<EventRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<EventRetention>());
        return services;
    }

    public static IEndpointRouteBuilder MapEventFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/events", async Task<Results<FileContentHttpResult, ApiErrorResult>> (HttpContext http, AppDbContext db, CancellationToken ct,
            string? after, int? limit, string? types, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "ticket_id")] string? ticketId) =>
        {
            var errors = new List<FieldError>();
            if (!EventCursor.TryParse(after, out var cursor))
                errors.Add(new("after", "after must be a next_cursor returned by this endpoint", "format"));
            if (limit is < 1 or > MaxLimit) errors.Add(new("limit", $"limit must be between 1 and {MaxLimit}", "range"));
            var typeList = types?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (typeList?.FirstOrDefault(t => Array.IndexOf(EventTypes.All, t) < 0) is { } unknown)
                errors.Add(new("types", $"types must be a comma list of {string.Join(", ", EventTypes.All)}; '{unknown}' is not one", "enum",
                    new { allowed = EventTypes.All }));
            var ticket = FieldRules.Id(errors, "ticket_id", ticketId);
            if (errors.Count > 0) return ApiErrors.Result(ApiError.BadRequest("Invalid query parameters", errors));

            var (page, more) = await EventFeedQuery.PageAsync(db, cursor, limit ?? DefaultLimit, typeList, ticket, ct);
            var next = page.Count > 0 ? EventCursor.Of(page[^1]) : cursor;
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Bytes(Render(page, next, more), "application/json; charset=utf-8");
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithRateLimits().WithTags("Events").WithName(RatePolicies.ListEvents)
            .WithSummary("The event feed after a cursor, oldest first: page on with next_cursor; never misses or repeats an event (ADMIN)")
            .Produces<EventPageDoc>(StatusCodes.Status200OK, "application/json").ProducesErrors(400, 403);
        return app;
    }

    // Written by hand so each event is the very bytes a webhook carries (EventBody); Produces gives the document its shape.
    private static byte[] Render(List<EventRow> page, EventCursor next, bool more)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var e in page) EventBody.Write(writer, e);
            writer.WriteEndArray();
            writer.WriteString("next_cursor", next.ToString());
            writer.WriteBoolean("has_more", more);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
