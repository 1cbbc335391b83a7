using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Webhooks;

/// <summary>What one attempt came to.</summary>
/// <param name="RetryAfter">The receiver's Retry-After, when it sent one.</param>
public sealed record AttemptOutcome(bool Success, int? StatusCode, long DurationMs, string? Error, TimeSpan? RetryAfter)
{
    public bool Gone => StatusCode == 410;
}

/// <summary>One POST of one event body: signed afresh (a new <c>t</c>) over the same bytes every time.</summary>
public sealed class WebhookSender(WebhookHttp http, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public static readonly string UserAgent = "SupportTicket-Webhooks/" + Version();

    public async Task<AttemptOutcome> SendAsync(WebhookEndpoint endpoint, string eventId, byte[] body, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (options.Value.UrlProblem(endpoint.Url) is { } problem) return new(false, null, 0, $"url {problem}", null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Add("ST-Event-Id", eventId);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSigner.Header, WebhookSigner.Sign(body, now, WebhookSigner.ValidSecrets(endpoint, now)));
        try
        {
            // The body is not read: a 2xx within the timeout is all that counts, whatever it says.
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var success = status is >= 200 and < 300;
            return new(success, status, Elapsed(), success ? null : $"HTTP {status}", RetryAfter(response.Headers.RetryAfter));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(false, null, Elapsed(), $"no answer within {options.Value.TimeoutSeconds} s", null);
        }
        catch (HttpRequestException e)
        {
            var refused = FindRefusal(e);
            return new(false, null, Elapsed(), refused?.Message ?? $"{e.HttpRequestError}: {e.Message}", null);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - clock.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    private static WebhookRefusedException? FindRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is WebhookRefusedException refused) return refused;
        return null;
    }

    private static string Version()
    {
        var version = typeof(WebhookSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }
}
