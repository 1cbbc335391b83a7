using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Api;

internal static class Responses
{
    /// <summary>200 with the value, or the error body (docs/integrating.md, Errors) with its status.</summary>
    public static IResult Respond<T>(Result<T> result) => result.Ok ? Results.Ok(result.Value) : ApiErrors.Result(result.Error);
}
