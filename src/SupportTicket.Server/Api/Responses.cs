using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Api;

internal static class Responses
{
    public static readonly int[] BodyErrors = [400, 413, 415];

    public static Results<Ok<T>, ApiErrorResult> Respond<T>(Result<T> result) =>
        result.Ok ? TypedResults.Ok(result.Value) : ApiErrors.Result(result.Error);

    public static Results<Created<T>, ApiErrorResult> Created<T>(Result<T> result, Func<T, string> location) =>
        result.Ok ? TypedResults.Created(location(result.Value), result.Value) : ApiErrors.Result(result.Error);

    // An idempotent create: a replay answers like the first request did.
    public static Results<Created<T>, ApiErrorResult> Created<T>(Result<(T Value, bool Replayed)> result, Func<T, string> location) =>
        result.Ok ? TypedResults.Created(location(result.Value.Value), result.Value.Value) : ApiErrors.Result(result.Error);

    public static Results<NoContent, ApiErrorResult> Done(ApiError? error) =>
        error is null ? TypedResults.NoContent() : ApiErrors.Result(error);

    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.Produces<ApiError>(status);
        return builder;
    }
}
