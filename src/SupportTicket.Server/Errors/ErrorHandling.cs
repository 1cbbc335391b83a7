using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SupportTicket.Server.Errors;

internal static class ErrorHandling
{
    public static IServiceCollection AddErrorHandling(this IServiceCollection services)
    {
        // Binding failures throw, so they reach the handler below with their reason instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ctx => ApiErrors.Write(ctx.HttpContext, ApiError.ForStatus(ctx.HttpContext.Response.StatusCode)));
        app.UseMiddleware<RequestSizeGuard>();
        app.UseMiddleware<UnsafeTextGuard>();
        return app;
    }

    internal static ApiError Map(BadHttpRequestException e) => e.StatusCode switch
    {
        413 => ApiError.TooLarge("Request body is too large"),
        415 => ApiError.ForStatus(415),
        _ when FindJson(e) is { } json => ApiError.Invalid([new FieldError(Location(json), "Malformed JSON or a value of the wrong type", "json")]),
        _ when e.Message.Contains("body was inferred but the method does not allow", StringComparison.Ordinal) => ApiError.BadRequest("Unexpected request body"),
        _ when e.Message.StartsWith("Required parameter", StringComparison.Ordinal) && e.Message.Contains("was not provided from body", StringComparison.Ordinal)
            => ApiError.Invalid([new FieldError("body", "A JSON body is required", "required")]),
        _ when e.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal)
            => ApiError.BadRequest("Invalid query or route parameter", [new FieldError(ParameterName(e.Message), "Value has the wrong format", "format")]),
        _ => ApiError.BadRequest("Bad request"),
    };

    private static JsonException? FindJson(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is JsonException json) return json;
        return null;
    }

    private static string Location(JsonException json) =>
        string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');

    // "Failed to bind parameter \"int limit\" from \"abc\"." → "limit"
    private static string ParameterName(string message)
    {
        var start = message.IndexOf('"');
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (end < 0) return "query";
        var declaration = message[(start + 1)..end];
        return declaration[(declaration.LastIndexOf(' ') + 1)..];
    }
}

internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            BadHttpRequestException bad => ErrorHandling.Map(bad),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => StoreUnavailable.Map(exception, context),
        };
        if (error is null && context.RequestAborted.IsCancellationRequested) return true;
        if (error is { Status: 503 }) logger.LogWarning("{Method} {Path}: {Reason}", context.Request.Method, context.Request.Path.Value, exception.Message);
        if (error is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path} ({CorrelationId})",
                context.Request.Method, context.Request.Path.Value, context.TraceIdentifier);
            error = ApiError.Internal(context.TraceIdentifier);
        }
        else
        {
            logger.LogDebug("Bad request {Path}: {Reason}", context.Request.Path.Value, exception.Message);
        }
        await ApiErrors.Write(context, error);
        return true;
    }
}
