using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>Delivery to a real receiver on loopback (private networks and http allowed, as a test must).</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    public const string Secret = "whsec_test-secret-that-is-long-enough-0123456789";
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    internal static TestApp App(Uri url, Store store = Store.Sqlite, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Url"] = url.ToString(), ["Webhooks:Endpoints:0:Secret"] = Secret,
            ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:RetryBaseMs"] = "100", ["Webhooks:PollMs"] = "50",
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return new TestApp(store, settings);
    }

    /// <summary>The config endpoint starts at the feed's end once the dispatcher ran: wait for it before writing.</summary>
    internal static async Task Ready(TestApp app, string id = "whk_config_0")
    {
        Assert.True(await Eventually.Until(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookEndpoints.AnyAsync(e => e.Id == id);
        }, TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task An_event_arrives_signed_with_the_contract_headers_and_the_feed_bytes(Store store)
    {
        using var app = App(_receiver.Url, store);
        await Ready(app);
        var id = (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id");

        var got = (await _receiver.WaitFor(r => r.Count >= 1)).Single();

        Assert.Equal("application/json", got.Headers["Content-Type"]);
        Assert.StartsWith("SupportTicket-Webhooks/", got.Headers["User-Agent"]);
        Assert.Matches(@"^t=\d+,v1=[0-9a-f]{64}$", got.Headers["ST-Signature"]);
        Assert.True(got.SignedWith(Secret));
        var t = long.Parse(got.Headers["ST-Signature"].Split(',')[0][2..]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t, -5, 30);
        Assert.Equal("ticket.created", got.Type);
        Assert.Equal(got.Json.Str("id"), got.EventId);
        Assert.Equal(id, got.Json.Str("ticket_id"));
        Assert.Equal(1, got.Json.GetProperty("seq").GetInt64());
        // The feed serves the very same bytes.
        var feed = await (await app.ClientFor(Unique.Admin()).GetAsync($"/api/v1/events?ticket_id={id}")).Content.ReadAsStringAsync();
        Assert.Contains(Encoding.UTF8.GetString(got.Body), feed);
    }

    [Fact]
    public async Task Failures_retry_with_the_same_id_and_body_and_a_ticket_stays_in_order()
    {
        // The second request (message 1 of the ticket) fails twice, with 500 and then a timeout; nothing of that
        // ticket may overtake it.
        _receiver.Respond = async r =>
        {
            if (r.Index == 1) return (500, null);
            if (r.Index == 2) await Task.Delay(TimeSpan.FromSeconds(3));
            return (200, null);
        };
        using var app = App(_receiver.Url, more: new() { ["Webhooks:TimeoutSeconds"] = "1" });
        await Ready(app);
        var customer = app.ClientFor(Unique.Customer());
        var id = (await customer.CreateTicket()).Str("id");
        for (var i = 0; i < 4; i++) await customer.PostMessage(id, $"m{i}");

        var got = await _receiver.WaitFor(r => r.Count(x => x.Index != 1 && x.Index != 2) >= 5);

        var failed = got.Single(r => r.Index == 1);
        var retries = got.Where(r => r.EventId == failed.EventId).ToList();
        Assert.Equal(3, retries.Count);
        Assert.All(retries, r => Assert.Equal(failed.Body, r.Body));
        Assert.All(retries, r => Assert.True(r.SignedWith(Secret)));
        var delivered = got.Where(r => r.Index is not (1 or 2)).Select(r => r.Json.GetProperty("seq").GetInt64());
        Assert.Equal([1L, 2, 3, 4, 5], delivered);
        await using var scope = app.Services.CreateAsyncScope();
        var log = await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookDeliveries
            .Where(d => d.EventId == failed.EventId).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(["retrying", "retrying", "success"], log.Select(d => d.Result));
        Assert.Equal(500, log[0].StatusCode);
        Assert.Null(log[1].StatusCode);
        Assert.Contains("no answer within 1 s", log[1].Error);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_no_sooner()
    {
        _receiver.Respond = r => Task.FromResult(r.Index == 0 ? (429, (string?)"2") : (200, (string?)null));
        using var app = App(_receiver.Url);
        await Ready(app);
        await app.ClientFor(Unique.Customer()).CreateTicket();

        var got = await _receiver.WaitFor(r => r.Count >= 2);

        Assert.Equal(got[0].EventId, got[1].EventId);
        Assert.True(got[1].At - got[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(got[1].At - got[0].At).TotalSeconds} s");
        // Signed afresh: a later t over the same bytes.
        Assert.Equal(got[0].Body, got[1].Body);
        Assert.True(Timestamp(got[1]) > Timestamp(got[0]));
        Assert.True(got[1].SignedWith(Secret));
    }

    private static long Timestamp(Received r) => long.Parse(r.Headers["ST-Signature"].Split(',')[0][2..]);

    [Fact]
    public async Task After_MaxRetryHours_the_event_is_given_up_and_the_endpoint_marked_failing_until_a_success()
    {
        var failing = true;
        _receiver.Respond = _ => Task.FromResult((failing ? 503 : 200, (string?)null));
        using var app = App(_receiver.Url, more: new() { ["Webhooks:MaxRetryHours"] = "0.0003" }); // about a second
        await Ready(app);
        var customer = app.ClientFor(Unique.Customer());
        await customer.CreateTicket();
        var admin = app.ClientFor(Unique.Admin());

        var endpoint = default(System.Text.Json.JsonElement);
        var deliveries = default(System.Text.Json.JsonElement);
        // The attempt is logged after the give-up is committed, so the two are awaited together.
        Assert.True(await Eventually.Until(async () =>
        {
            endpoint = await (await admin.GetAsync("/api/v1/admin/webhooks/whk_config_0")).Body();
            deliveries = await (await admin.GetAsync("/api/v1/admin/webhooks/whk_config_0/deliveries")).Body();
            return endpoint.GetProperty("failing_since").ValueKind == System.Text.Json.JsonValueKind.Number
                && deliveries.GetArrayLength() > 0 && deliveries[0].Str("result") == "gave_up";
        }, TimeSpan.FromSeconds(20)));
        Assert.Equal("gave_up", deliveries[0].Str("result"));
        Assert.True(endpoint.GetProperty("enabled").GetBoolean()); // failing, not disabled: new events still go

        failing = false;
        var count = _receiver.Requests.Count;
        await customer.CreateTicket("Next");
        await _receiver.WaitFor(r => r.Count > count && r.Last().Type == "ticket.created");
        Assert.True(await Eventually.Until(async () =>
            (await (await admin.GetAsync("/api/v1/admin/webhooks/whk_config_0")).Body()).GetProperty("failing_since").ValueKind
                == System.Text.Json.JsonValueKind.Null, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_410_disables_the_endpoint()
    {
        _receiver.Respond = _ => Task.FromResult((410, (string?)null));
        using var app = App(_receiver.Url);
        await Ready(app);
        var customer = app.ClientFor(Unique.Customer());
        await customer.CreateTicket();
        await _receiver.WaitFor(r => r.Count >= 1);

        var admin = app.ClientFor(Unique.Admin());
        var endpoint = default(System.Text.Json.JsonElement);
        Assert.True(await Eventually.Until(async () =>
        {
            endpoint = await (await admin.GetAsync("/api/v1/admin/webhooks/whk_config_0")).Body();
            return !endpoint.GetProperty("enabled").GetBoolean();
        }, TimeSpan.FromSeconds(10)));
        Assert.StartsWith("410 Gone", endpoint.Str("disabled_reason"));
        await customer.CreateTicket("Another");
        await Task.Delay(1000); // nothing may come: a wait for an absence has no condition to poll
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task Private_addresses_are_refused_at_connect_time_unless_allowed()
    {
        using var app = App(_receiver.Url, more: new() { ["Webhooks:AllowPrivateNetworks"] = "false" });
        await Ready(app);
        await app.ClientFor(Unique.Customer()).CreateTicket();

        var admin = app.ClientFor(Unique.Admin());
        var deliveries = default(System.Text.Json.JsonElement);
        Assert.True(await Eventually.Until(async () =>
        {
            deliveries = await (await admin.GetAsync("/api/v1/admin/webhooks/whk_config_0/deliveries")).Body();
            return deliveries.GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(20)));
        Assert.Contains("refused", deliveries[0].Str("error"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, deliveries[0].GetProperty("status").ValueKind);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_server_stopped_mid_delivery_delivers_the_same_event_after_restart()
    {
        var release = new TaskCompletionSource();
        _receiver.Respond = async r =>
        {
            if (r.Index == 0) await release.Task; // hangs until the first server is gone
            return (200, null);
        };
        var first = App(_receiver.Url);
        first.KeepDatabase = true;
        await Ready(first);
        await first.ClientFor(Unique.Customer()).CreateTicket();
        var hanging = (await _receiver.WaitFor(r => r.Count >= 1)).Single();
        first.Dispose();
        release.SetResult();

        using var second = App(_receiver.Url, more: new() { ["Storage:DatabaseUrl"] = first.DatabaseUrl });
        await Ready(second); // starts it
        var got = await _receiver.WaitFor(r => r.Count >= 2);

        Assert.Equal(hanging.EventId, got[1].EventId);
        Assert.Equal(hanging.Body, got[1].Body);
    }
}
