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

    /// <summary>A typed result so handlers can return expected failures without throwing.</summary>
    public static IResult Result(ApiError error) => new ErrorResult(error);

    private sealed class ErrorResult(ApiError error) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => error.Status;
        public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext, error);
    }
}
