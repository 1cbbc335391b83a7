using System.Net;
using System.Net.Http.Headers;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.RateLimiting;
using static SupportTicket.Server.Tests.Attachments.AttachmentSeed;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>Caps on downloads running at once, and the auth-failure limit, which token-less links must not trip over.</summary>
public sealed class AttachmentLimitTests
{
    private static TestApp App(Dictionary<string, string?> settings) => new(Store.Sqlite, RateLimitSettings.Limits(settings));

    [Fact]
    public async Task Token_less_file_links_still_work_for_an_address_over_the_auth_failure_limit()
    {
        using var app = App(new() { ["RateLimits:Policies:AuthFailures:PermitLimit"] = "2" });
        var link = await StoreAsync(app, (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id"), null, "a.png", "image/png", Random(10));
        var forger = app.Anonymous();
        forger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.AlgNone(Unique.Customer()));
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await forger.GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await forger.GetAsync("/api/v1/tickets")).StatusCode);

        // Someone else behind the same address opens a file link from the widget: no credentials, none needed.
        var served = await app.Anonymous().GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Anonymous().GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Theory]
    [InlineData("MaxAttachmentDownloadsPerAddress", "per address")]
    [InlineData("MaxAttachmentDownloads", "on this server")]
    public async Task Downloads_over_a_cap_get_429_until_one_ends(string setting, string named)
    {
        using var app = App(new()
        {
            ["RateLimits:MaxAttachmentDownloadsPerAddress"] = "0", ["RateLimits:MaxAttachmentDownloads"] = "0", [$"RateLimits:{setting}"] = "2",
        });
        using var http = new HttpClient { BaseAddress = app.StartOnLoopback() };
        using var owner = new HttpClient { BaseAddress = http.BaseAddress };
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(Unique.Customer()));
        var link = await StoreAsync(app, (await owner.CreateTicket()).Str("id"), null, "big.bin", "application/octet-stream", Random(16 << 20));
        // Headers read, body not: the server's send stalls once the socket buffers are full, so both stay in progress.
        var stalled = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++) stalled.Add(await http.GetAsync(link, HttpCompletionOption.ResponseHeadersRead));

        var refused = await http.GetAsync(link);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var body = await refused.Body();
        Assert.Equal("RATELIMIT", body.Str("error"));
        Assert.Contains(named, body.Str("message"));
        Assert.Equal(1, refused.Header("Retry-After"));
        Assert.Equal(2, refused.Header("X-RateLimit-Limit"));
        Assert.Equal(0, refused.Header("X-RateLimit-Remaining"));

        foreach (var response in stalled) response.Dispose();
        Assert.True(await Eventually.Until(async () =>
        {
            using var next = await http.GetAsync(link, HttpCompletionOption.ResponseHeadersRead);
            return next.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10)), "a slot frees when a download ends");
    }
}
