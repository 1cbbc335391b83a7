using System.Globalization;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Http;

/// <summary>
/// Everything Discord does before a handler runs: record the request, check the token and User-Agent,
/// apply scripted faults, enforce the global and per-bucket limits, and set the rate-limit headers.
/// </summary>
internal sealed partial class FakeRestMiddleware(FakeDiscordServer server)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        var info = endpoint?.Metadata.GetMetadata<FakeRouteInfo>();
        if (!context.Request.Path.StartsWithSegments("/api/v10") || endpoint is not RouteEndpoint routeEndpoint || info is null)
        {
            await next(context);
            return;
        }

        var route = $"{context.Request.Method} {routeEndpoint.RoutePattern.RawText!["/api/v10".Length..]}";
        var major = string.Join('/', info.MajorParameters.Select(p => context.Request.RouteValues[p]?.ToString()));
        var recorded = await RecordAsync(context, route, major);
        // Recorded before the headers leave: set only afterwards, a test that already has its answer could read 0.
        context.Response.OnStarting(() =>
        {
            recorded.Status = context.Response.StatusCode;
            return Task.CompletedTask;
        });
        try
        {
            var rejection = Check(context, info) ?? ApplyFault(context, route, major, recorded) ?? Enforce(context, info, route, major) ?? CheckAccess(context, info);
            if (rejection is not null)
            {
                await rejection.ExecuteAsync(context);
            }
            else if (context.Items[SlowKey] is TimeSpan delay)
            {
                await Task.Delay(delay, context.RequestAborted);
                await next(context);
            }
            else if (recorded.Forced)
            {
                await CommitThenFailAsync(context, next);
            }
            else
            {
                await next(context);
            }
        }
        finally
        {
            recorded.Status = context.Response.StatusCode;
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context, string route, string major)
    {
        context.Request.EnableBuffering();
        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy);
        context.Request.Body.Position = 0;
        var recorded = new RecordedRequest
        {
            Method = context.Request.Method,
            Path = context.Request.Path.Value!["/api/v10".Length..],
            Query = context.Request.QueryString.Value ?? "",
            Route = route,
            Major = major,
            Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = copy.ToArray(),
            ContentType = context.Request.ContentType,
            ArrivedAt = server.Now,
        };
        server.Record(recorded);
        return recorded;
    }

    private IResult? Check(HttpContext context, FakeRouteInfo info)
    {
        var ua = context.Request.Headers.UserAgent.ToString();
        if (!ua.StartsWith("DiscordBot (", StringComparison.Ordinal))
        {
            return DiscordErrors.Error(403, 0, "Bad User-Agent: must be 'DiscordBot (url, version)'");
        }

        if (info.BotAuth && (server.Gateway.TokenReset || context.Request.Headers.Authorization.ToString() != $"Bot {server.Options.Token}"))
        {
            return DiscordErrors.Error(401, 0, "401: Unauthorized");
        }

        return null;
    }

    /// <summary>A channel the bot lost access to (its overwrites changed by hand): 403 Missing Access, after the bucket counted it.</summary>
    private IResult? CheckAccess(HttpContext context, FakeRouteInfo info) =>
        info.BotAuth && info.MajorParameters.Contains("channel_id") && ulong.TryParse(context.Request.RouteValues["channel_id"]?.ToString(), out var channel)
            && server.HasNoAccess(channel)
            ? DiscordErrors.Error(403, 50001, "Missing Access")
            : null;

    private IResult? Enforce(HttpContext context, FakeRouteInfo info, string route, string major)
    {
        if (info.BotAuth && !info.GlobalExempt && server.RateLimiter.TakeGlobal() is { } wait)
        {
            server.CountUnforced429();
            return RateLimited(context, wait.TotalSeconds, "global", global: true);
        }

        var verdict = server.RateLimiter.TakeBucket(route, major);
        SetBucketHeaders(context, verdict);
        if (verdict.Allowed)
        {
            return null;
        }

        server.CountUnforced429();
        return RateLimited(context, verdict.ResetAfter.TotalSeconds, "user", global: false);
    }

    private static void SetBucketHeaders(HttpContext context, BucketVerdict verdict)
    {
        // Rounded up so a client that trusts these numbers can never come back early.
        var resetAfter = Math.Ceiling(verdict.ResetAfter.TotalMilliseconds) / 1000;
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = verdict.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = verdict.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + resetAfter)
            .ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Bucket"] = verdict.Hash;
    }

    private static IResult RateLimited(HttpContext context, double retryAfter, string scope, bool global)
    {
        var headers = context.Response.Headers;
        headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = scope;
        if (global)
        {
            headers["X-RateLimit-Global"] = "true";
        }

        var body = new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = Math.Round(retryAfter, 3),
            ["global"] = global,
        };
        return DiscordErrors.Json(body, 429);
    }
}
