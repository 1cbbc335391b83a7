using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Errors;

internal static class ApiErrors
{
    public static Task Write(HttpContext context, ApiError error)
    {
        if (context.Response.HasStarted) return Task.CompletedTask;
        context.Response.StatusCode = error.Status;
        context.Response.Headers.CacheControl = "no-store";
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(error, json, "application/json; charset=utf-8");
    }

    public static ApiErrorResult Result(ApiError error) => new(error);
}

// The error body with its status, as a typed result. Which statuses an endpoint can give is declared on the route
// (ProducesErrors), since one type serves them all.
public sealed class ApiErrorResult(ApiError error) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ApiError>
{
    public int? StatusCode => error.Status;
    public ApiError Value => error;
    object? IValueHttpResult.Value => error;
    public Task ExecuteAsync(HttpContext httpContext) => ApiErrors.Write(httpContext, error);
}
