using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Events;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.ReadReceipts;

public sealed record MarkReadRequest(long? Seq);

public static class ReadReceiptEndpoints
{
    public static IServiceCollection AddReadReceipts(this IServiceCollection services)
    {
        services.AddScoped<ReadReceiptService>();
        return services;
    }

    public static IEndpointRouteBuilder MapReadReceipts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tickets/{id}/read", async Task<Results<Ok<ReadDto>, ApiErrorResult>> (
            string id, MarkReadRequest request, CurrentUser user, ReadReceiptService receipts, CancellationToken ct) =>
        {
            if (request.Seq is not { } seq) return ApiErrors.Result(ApiError.Invalid([new("seq", "seq is required", "required")]));
            var result = await receipts.MarkAsync(user, id, seq, ct);
            return result.Ok ? TypedResults.Ok(result.Value) : ApiErrors.Result(result.Error!);
        }).RequireAuthorization().WithRateLimits().WithTags("Tickets").WithName(RatePolicies.MarkRead)
            .WithSummary("Mark the caller's side read up to seq (forward only, clamped to the last seq they can see)")
            .ProducesErrors([.. Responses.BodyErrors, 404]);
        return app;
    }
}
