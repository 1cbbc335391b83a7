using System.Globalization;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.RateLimiting;

internal static class RateLimitHeaders
{
    // X-RateLimit-Reset is in seconds from now (as Retry-After), not a Unix time: a widget can show "try again in N s"
    // without trusting its own clock.
    public static void Set(HttpResponse response, RateLimitDecision decision)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed) headers.RetryAfter = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
    }

    public static Task RejectAsync(HttpContext context, RateLimitDecision decision)
    {
        Set(context.Response, decision);
        Metrics.ServerMetrics.Rejected(decision.Policy);
        return ApiErrors.Write(context, ApiError.RateLimited(decision.Message));
    }
}
