using Microsoft.Extensions.Logging;

namespace SupportTicket.Discord.Rest;

internal sealed partial class RestPipeline
{
    private string BucketKey(RestRoute route) =>
        $"{(_hashes.TryGetValue(route.RouteKey, out var known) ? known : route.RouteKey)}|{route.Major}";

    private BucketState BucketFor(RestRoute route) => _buckets.GetOrAdd(BucketKey(route), _ => new BucketState());

    // Joins the queue of the route's bucket. Routes that share a hash (Discord shares buckets across routes) share the
    // queue, so two of them never race for the bucket's last request. When the hash is learnt while waiting, the
    // request moves to the hash's queue.
    private async Task<SemaphoreSlim> EnterQueueAsync(RestRoute route, CancellationToken ct)
    {
        while (true)
        {
            var key = BucketKey(route);
            var queue = _queues.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            await queue.WaitAsync(ct);
            if (BucketKey(route) == key)
            {
                return queue;
            }

            queue.Release();
        }
    }

    private void UpdateBucket(RestRoute route, RateLimitInfo info)
    {
        if (info.Bucket is { } hash)
        {
            _hashes[route.RouteKey] = hash;
        }

        if (info.Remaining is { } remaining && info.ResetAfter is { } resetAfter)
        {
            BucketFor(route).Update(remaining, resetAfter + options.RateLimitMargin, _global.NowMs);
        }
    }

    private async Task WaitForBucketAsync(RestRoute route, CancellationToken ct)
    {
        var wait = BucketFor(route).WaitTime(_global.NowMs);
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (wait > options.MaxRetryAfter)
        {
            throw new DiscordRateLimitedException(route.RouteKey, wait, null, sublimit: false);
        }

        logger.LogDebug("Bucket for {Route} exhausted, waiting {WaitMs} ms", route.RouteKey, wait.TotalMilliseconds);
        await Task.Delay(wait, time, ct);
    }

    private async Task WaitForInvalidBudgetAsync(RestRequest request, CancellationToken ct)
    {
        var wait = _invalid.Throttle(space: !request.GlobalExempt);
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (wait > options.MaxRetryAfter)
        {
            logger.LogError("{Count} invalid Discord requests in ten minutes; holding {Route} back", _invalid.InLastTenMinutes, request.Route.RouteKey);
            throw new DiscordRateLimitedException(request.Route.RouteKey, wait, "invalid-requests", sublimit: false);
        }

        logger.LogWarning("{Count} invalid Discord requests in ten minutes; slowing {Route} by {WaitMs} ms",
            _invalid.InLastTenMinutes, request.Route.RouteKey, wait.TotalMilliseconds);
        await Task.Delay(wait, time, ct);
    }

    // Records what a 429 means for every later call and returns how long this call must additionally wait (only for a
    // sublimit; bucket and global waits happen at the top of the send loop).
    private TimeSpan Apply429(RestRoute route, RateLimitInfo info)
    {
        var retryAfter = info.RetryAfter ?? TimeSpan.FromSeconds(1);
        if (info.Global)
        {
            logger.LogWarning("Global rate limit hit on {Route}; pausing all requests for {RetryAfter}", route.RouteKey, retryAfter);
            _global.Pause(retryAfter + options.RateLimitMargin);
            RecordInvalid(info);
            return retryAfter > options.MaxRetryAfter
                ? throw new DiscordRateLimitedException(route.RouteKey, retryAfter, "global", sublimit: false)
                : TimeSpan.Zero;
        }

        // A 429 while the headers still show requests left is a hidden sublimit (e.g. channel renames):
        // it must not mark the whole bucket as empty, only delay or fail this one call.
        var sublimit = info.Remaining > 0;
        logger.LogWarning("Rate limited on {Route} (scope {Scope}, sublimit {Sublimit}) for {RetryAfter}",
            route.RouteKey, info.Scope, sublimit, retryAfter);
        if (!sublimit)
        {
            BucketFor(route).Exhaust(retryAfter + options.RateLimitMargin, _global.NowMs);
        }

        RecordInvalid(info);
        if (retryAfter > options.MaxRetryAfter)
        {
            throw new DiscordRateLimitedException(route.RouteKey, retryAfter, info.Scope, sublimit);
        }

        return sublimit ? retryAfter + options.RateLimitMargin : TimeSpan.Zero;
    }

    private void RecordInvalid(RateLimitInfo info)
    {
        if (!string.Equals(info.Scope, "shared", StringComparison.OrdinalIgnoreCase))
        {
            _invalid.Record();
        }
    }
}
