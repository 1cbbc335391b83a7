using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>
/// The seed's limits switched on, as in production. A trusted backend (ADMIN) that catches up from the feed after an
/// outage and then polls it and its endpoints' deliveries does, within one minute's window, what a realistic backend
/// does in one minute, and is never answered 429.
/// </summary>
public sealed class WebhookRateLimitTests
{
    [Fact]
    public async Task A_polling_backend_is_not_locked_out_of_the_feed_or_the_webhook_admin()
    {
        using var app = new TestApp(Store.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true", ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:AllowHttp"] = "true",
        });
        var admin = app.ClientFor(Unique.Admin());
        var hook = (await (await admin.PostJson("/api/v1/admin/webhooks", new { url = "http://127.0.0.1:9/hook" })).Body()).Str("id");
        var customer = app.ClientFor(Unique.Customer());
        await customer.CreateTicket();

        // Catch-up: 120 pages of 500 events (60,000 events), then a poll every second for the rest of the minute;
        // its endpoint's deliveries every second, the endpoint and the list every few seconds.
        var calls = Enumerable.Repeat("/api/v1/events?limit=500", 120 + 60)
            .Concat(Enumerable.Repeat($"/api/v1/admin/webhooks/{hook}/deliveries", 60))
            .Concat(Enumerable.Repeat($"/api/v1/admin/webhooks/{hook}", 20))
            .Concat(Enumerable.Repeat("/api/v1/admin/webhooks", 20));
        var refused = new List<string>();
        foreach (var path in calls)
        {
            using var response = await admin.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK) refused.Add($"{path}: {(int)response.StatusCode}");
            Assert.True(response.Headers.Contains("X-RateLimit-Remaining"), $"{path}: limits are on");
        }

        Assert.Empty(refused);
    }
}
