namespace SupportTicket.FakeDiscord.Http;

internal sealed partial class FakeRestMiddleware
{
    private const string SlowKey = "fake.slow";

    private IResult? ApplyFault(HttpContext context, string route, string major, RecordedRequest recorded)
    {
        if ((server.Faults.Take(route) ?? server.RandomFault()) is not { } fault)
        {
            return null;
        }

        recorded.Forced = true;
        server.CountForced();
        switch (fault.Kind)
        {
            case FaultKind.RateLimitUser:
                SetBucketHeaders(context, server.RateLimiter.Peek(route, major) with { Remaining = 0 });
                return RateLimited(context, fault.RetryAfter, "user", global: false);
            case FaultKind.RateLimitShared:
                SetBucketHeaders(context, server.RateLimiter.Peek(route, major) with { Remaining = 0 });
                return RateLimited(context, fault.RetryAfter, "shared", global: false);
            case FaultKind.RateLimitGlobal:
                return RateLimited(context, fault.RetryAfter, "global", global: true);
            case FaultKind.Sublimit:
                var peek = server.RateLimiter.Peek(route, major);
                SetBucketHeaders(context, peek with { Remaining = Math.Max(1, peek.Remaining) });
                return RateLimited(context, fault.RetryAfter, "user", global: false);
            case FaultKind.BadGateway:
                return Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: 502);
            case FaultKind.Unauthorized:
                return DiscordErrors.Error(401, 0, "401: Unauthorized");
            case FaultKind.Slow:
                context.Items[SlowKey] = TimeSpan.FromSeconds(fault.RetryAfter);
                return null;
            default:
                // BadGatewayAfterCommit: let the handler run, then lose its answer.
                return null;
        }
    }

    private static async Task CommitThenFailAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var discard = new MemoryStream();
        context.Response.Body = discard;
        await next(context);
        context.Response.Body = original;
        context.Response.Clear();
        context.Response.StatusCode = 502;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>");
    }
}
