using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace SupportTicket.Discord.Rest;

// Sends every REST call through Discord's rate limits: one queue per bucket (the X-RateLimit-Bucket hash a route maps
// to, or the route until the hash is known) and major parameter, the bucket state learnt from headers, the global limit
// and pause, 429/5xx/401 handling. Modelled on discord.js' SequentialHandler.
internal sealed partial class RestPipeline(HttpClient http, DiscordClientOptions options, ILogger logger, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _hashes = new();
    private readonly ConcurrentDictionary<string, BucketState> _buckets = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _queues = new();
    private readonly GlobalRateLimiter _global = new(options.GlobalRequestsPerWindow, options.GlobalWindow + options.RateLimitMargin, time);
    private readonly InvalidRequestCounter _invalid = new(options, time);
    private volatile bool _unauthorized;

    public int InvalidRequestCount => _invalid.InLastTenMinutes;

    public bool IsUnauthorized => _unauthorized;

    public async Task<string> SendAsync(RestRequest request, CancellationToken ct)
    {
        ThrowIfUnauthorized(request);
        var queue = await EnterQueueAsync(request.Route, ct);
        try
        {
            return await SendQueuedAsync(request, ct);
        }
        finally
        {
            queue.Release();
        }
    }

    private async Task<string> SendQueuedAsync(RestRequest request, CancellationToken ct)
    {
        var failures = 0;
        var rateLimited = 0;
        while (true)
        {
            await WaitForBucketAsync(request.Route, ct);
            await WaitForInvalidBudgetAsync(request, ct);
            ThrowIfUnauthorized(request);
            if (!request.GlobalExempt)
            {
                // Interaction callbacks are outside the global limit, and must answer within 3 s anyway.
                await _global.AcquireAsync(ct);
                try
                {
                    // Checked after taking the slot, so a global 429 seen meanwhile still holds this request back.
                    await _global.WaitForPauseAsync(ct);
                }
                catch
                {
                    _global.ReleaseNow();
                    throw;
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(request, ct);
            }
            catch (Exception ex) when (IsTransient(ex, ct))
            {
                ReleaseGlobalSlot(request);
                failures++;
                if (!request.Retryable || failures >= options.MaxAttempts)
                {
                    throw;
                }

                logger.LogWarning(ex, "Discord {Route} failed in transport, retry {Attempt}", request.Route.RouteKey, failures);
                await BackoffAsync(failures, ct);
                continue;
            }

            using (response)
            {
                ReleaseGlobalSlot(request);
                var body = await response.Content.ReadAsStringAsync(ct);
                var info = RateLimitInfo.FromHeaders(response.Headers);
                UpdateBucket(request.Route, info);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                var status = response.StatusCode;
                if (status == HttpStatusCode.TooManyRequests)
                {
                    // The pause or empty bucket is recorded even when giving up, so other calls respect it.
                    var extraWait = Apply429(request.Route, info.WithBody(body));
                    if (++rateLimited > options.Max429Retries)
                    {
                        throw RestErrors.From(status, body, request.Route.RouteKey);
                    }

                    await Task.Delay(extraWait, time, ct);
                    continue;
                }

                if ((int)status >= 500 && request.Retryable && ++failures < options.MaxAttempts)
                {
                    logger.LogWarning("Discord {Route} answered {Status}, retry {Attempt}", request.Route.RouteKey, (int)status, failures);
                    await BackoffAsync(failures, ct);
                    continue;
                }

                throw Fail(request, status, body);
            }
        }
    }

    private DiscordRestException Fail(RestRequest request, HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.Unauthorized && request.BotAuth)
        {
            _invalid.Record();
            _unauthorized = true;
            logger.LogCritical("Discord rejected the bot token on {Route}; all REST traffic is stopped", request.Route.RouteKey);
            return new DiscordUnauthorizedException(request.Route.RouteKey);
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            _invalid.Record();
        }

        return RestErrors.From(status, body, request.Route.RouteKey);
    }

    private void ThrowIfUnauthorized(RestRequest request)
    {
        if (_unauthorized && request.BotAuth)
        {
            throw new DiscordUnauthorizedException(request.Route.RouteKey);
        }
    }

    private void ReleaseGlobalSlot(RestRequest request)
    {
        if (!request.GlobalExempt)
        {
            _global.ReleaseLater();
        }
    }

    private Task BackoffAsync(int failures, CancellationToken ct) =>
        Task.Delay(options.RetryBaseDelay * Math.Pow(2, failures - 1), time, ct);

    private static bool IsTransient(Exception ex, CancellationToken ct) =>
        ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested);
}
