using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SupportTicket.Discord.Rest;

internal sealed record RateLimitInfo(
    string? Bucket,
    int? Remaining,
    TimeSpan? ResetAfter,
    bool Global,
    string? Scope,
    TimeSpan? RetryAfter)
{
    public static RateLimitInfo FromHeaders(HttpResponseHeaders headers)
    {
        var retryAfter = Double(headers, "Retry-After");
        return new RateLimitInfo(
            Header(headers, "X-RateLimit-Bucket"),
            Double(headers, "X-RateLimit-Remaining") is { } r ? (int)r : null,
            Double(headers, "X-RateLimit-Reset-After") is { } s ? TimeSpan.FromSeconds(s) : null,
            string.Equals(Header(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase),
            Header(headers, "X-RateLimit-Scope"),
            retryAfter is { } ra ? TimeSpan.FromSeconds(ra) : null);
    }

    // The body's retry_after is a float and more precise than the header's whole seconds.
    public RateLimitInfo WithBody(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var retry = root.TryGetProperty("retry_after", out var ra) && ra.ValueKind == JsonValueKind.Number
                ? TimeSpan.FromSeconds(ra.GetDouble())
                : RetryAfter;
            var global = Global || (root.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True);
            return this with { RetryAfter = retry, Global = global };
        }
        catch (JsonException)
        {
            return this;
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? Double(HttpResponseHeaders headers, string name) =>
        double.TryParse(Header(headers, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
