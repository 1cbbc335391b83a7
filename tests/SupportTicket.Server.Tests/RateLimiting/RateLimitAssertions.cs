using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.RateLimiting;

internal static class RateLimitAssertions
{
    public static int Header(this HttpResponseMessage response, string name) =>
        int.Parse(response.Headers.TryGetValues(name, out var values) ? values.Single()
            : throw new Xunit.Sdk.XunitException($"{name} header missing on {(int)response.StatusCode}"));

    public static bool HasRateLimitHeaders(this HttpResponseMessage response) => response.Headers.Contains("X-RateLimit-Limit");

    public static Task<HttpResponseMessage> Send(this HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        // Bodies are irrelevant: the limit is checked before the handler, and a 400 counts like any answer.
        if (method is "POST" or "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }

    /// <summary>The seed's 429: RATELIMIT body with the real numbers, Retry-After and the X-RateLimit headers.</summary>
    public static async Task AssertRateLimited(HttpResponseMessage response, int limit, int windowSeconds)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var body = await response.Body();
        Assert.Equal("RATELIMIT", body.Str("error"));
        Assert.Equal($"You are being ratelimited only {limit} request are allowed per {windowSeconds} seconds", body.Str("message"));
        var retryAfter = response.Header("Retry-After");
        Assert.InRange(retryAfter, 1, windowSeconds);
        Assert.Equal(limit, response.Header("X-RateLimit-Limit"));
        Assert.Equal(0, response.Header("X-RateLimit-Remaining"));
        Assert.Equal(retryAfter, response.Header("X-RateLimit-Reset"));
    }
}
