using System.Diagnostics;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Hosting;

/// <summary>
/// One log line per request with status, duration and user id. The path is logged without its query string,
/// which may carry an access_token.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.Response.StatusCode;
            var level = status >= 500 ? LogLevel.Error : LogLevel.Information;
            if (logger.IsEnabled(level))
                logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {Elapsed:0.0} ms for {UserId} ({CorrelationId})",
                    context.Request.Method, context.Request.Path.Value, status, elapsed,
                    context.User.FindFirst(TokenClaims.Id)?.Value ?? "-", context.TraceIdentifier);
        }
    }
}
