using Microsoft.AspNetCore.Http.HttpResults;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Api;

/// <summary>Maps a service outcome to the typed result an endpoint returns, so the route itself tells the API document what it gives.</summary>
internal static class Responses
{
    /// <summary>The body errors every endpoint that reads a JSON body can give: invalid, too large, not JSON.</summary>
    public static readonly int[] BodyErrors = [400, 413, 415];

    /// <summary>200 with the value, or the error body (docs/integrating.md, Errors) with its status.</summary>
    public static Results<Ok<T>, ApiErrorResult> Respond<T>(Result<T> result) =>
        result.Ok ? TypedResults.Ok(result.Value) : ApiErrors.Result(result.Error);

    /// <summary>201 with the value and its Location, or the error body.</summary>
    public static Results<Created<T>, ApiErrorResult> Created<T>(Result<T> result, Func<T, string> location) =>
        result.Ok ? TypedResults.Created(location(result.Value), result.Value) : ApiErrors.Result(result.Error);

    /// <summary>204 when there is no error, or the error body.</summary>
    public static Results<NoContent, ApiErrorResult> Done(ApiError? error) =>
        error is null ? TypedResults.NoContent() : ApiErrors.Result(error);

    /// <summary>Declares the error statuses (beyond those every endpoint can give: ApiDocs) with the error body.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.Produces<ApiError>(status);
        return builder;
    }
}
