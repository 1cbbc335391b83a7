using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

public sealed class WebhookAdminTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static TestApp App() => new(Store.Sqlite, new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:AllowHttp"] = "true", ["Webhooks:RetryBaseMs"] = "100", ["Webhooks:PollMs"] = "50",
    });

    [Fact]
    public async Task Created_by_the_api_with_the_secret_shown_once_then_pinged_rotated_and_redelivered()
    {
        using var app = App();
        var admin = app.ClientFor(Unique.Admin());
        var created = await admin.PostJson("/api/v1/admin/webhooks", new { url = _receiver.Url, events = new[] { "ticket.created" }, description = "CRM" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hook = await created.Body();
        var id = hook.Str("id");
        var secret = hook.Str("secret");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(secret) >= 32);
        var fetched = await (await admin.GetAsync($"/api/v1/admin/webhooks/{id}")).Body();
        Assert.False(fetched.TryGetProperty("secret", out _));
        Assert.Equal(["ticket.created"], fetched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var pingResponse = await admin.PostJson($"/api/v1/admin/webhooks/{id}/ping", new { });
        Assert.Equal(HttpStatusCode.Accepted, pingResponse.StatusCode);
        var ping = await pingResponse.Body();
        Assert.True(ping.GetProperty("queued").GetBoolean());
        var pinged = (await _receiver.WaitFor(r => r.Count >= 1))[0];
        Assert.Equal("ping", pinged.Type);
        Assert.Equal(ping.Str("event_id"), pinged.EventId);
        Assert.True(pinged.SignedWith(secret));
        Assert.True(await Eventually.Until(async () =>
        {
            var log = await (await admin.GetAsync($"/api/v1/admin/webhooks/{id}/deliveries")).Body();
            return log.GetArrayLength() == 1 && log[0].Str("event_id") == pinged.EventId && log[0].Str("result") == "success";
        }, TimeSpan.FromSeconds(10)), "the ping's attempt is in the deliveries");

        // Subscribed to ticket.created only: the message is not sent.
        var customer = app.ClientFor(Unique.Customer());
        var ticket = (await customer.CreateTicket()).Str("id");
        await customer.PostMessage(ticket, "not subscribed");
        var first = (await _receiver.WaitFor(r => r.Count >= 2))[1];
        Assert.Equal("ticket.created", first.Type);
        Assert.Equal(1, first.SignatureCount);

        var rotated = await (await admin.PostJson($"/api/v1/admin/webhooks/{id}/rotate-secret", new { })).Body();
        var newSecret = rotated.Str("secret");
        Assert.NotEqual(secret, newSecret);
        await customer.CreateTicket("During the overlap");
        var overlap = (await _receiver.WaitFor(r => r.Count >= 3))[2];
        Assert.Equal(2, overlap.SignatureCount);
        Assert.True(overlap.SignedWith(secret));
        Assert.True(overlap.SignedWith(newSecret));

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookEndpoints.Where(e => e.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.PreviousSecretExpiresAt, 1L)); // the 24 h are over
        await customer.CreateTicket("After the overlap");
        var after = (await _receiver.WaitFor(r => r.Count >= 4))[3];
        Assert.Equal(1, after.SignatureCount);
        Assert.True(after.SignedWith(newSecret));
        Assert.False(after.SignedWith(secret));

        var deliveries = await (await admin.GetAsync($"/api/v1/admin/webhooks/{id}/deliveries?limit=2")).Body();
        Assert.Equal(2, deliveries.GetArrayLength());
        Assert.Equal(after.EventId, deliveries[0].Str("event_id")); // newest first
        var redelivered = await admin.PostJson($"/api/v1/admin/webhooks/{id}/deliveries/{deliveries[0].GetProperty("id").GetInt64()}/redeliver", new { });
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        var again = (await _receiver.WaitFor(r => r.Count >= 5))[4];
        Assert.Equal(after.EventId, again.EventId);
        Assert.Equal(after.Body, again.Body);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/admin/webhooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_get_the_error_body()
    {
        using var app = new TestApp(Store.Sqlite);
        var admin = app.ClientFor(Unique.Admin());

        var http = await admin.PostJson("/api/v1/admin/webhooks", new { url = "http://example.com/hook" });
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Equal("url", (await http.Body()).GetProperty("errors")[0].Str("location"));
        var events = await admin.PostJson("/api/v1/admin/webhooks", new { url = "https://example.com/hook", events = new[] { "ticket.exploded" } });
        Assert.Equal("events", (await events.Body()).GetProperty("errors")[0].Str("location"));
        var missing = await admin.PatchJson("/api/v1/admin/webhooks/whk_nope", new { enabled = false });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NOT_FOUND", (await missing.Body()).Str("error"));
        var agent = await app.ClientFor(Unique.Agent()).GetAsync("/api/v1/admin/webhooks");
        Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
    }

    [Fact]
    public async Task Configured_endpoints_are_listed_but_changed_only_in_configuration()
    {
        using var app = WebhookDeliveryTests.App(_receiver.Url);
        await WebhookDeliveryTests.Ready(app);
        var admin = app.ClientFor(Unique.Admin());
        var list = await (await admin.GetAsync("/api/v1/admin/webhooks")).Body();
        Assert.Equal("config", list[0].Str("source"));
        var patch = await admin.PatchJson("/api/v1/admin/webhooks/whk_config_0", new { enabled = false });
        Assert.Equal(HttpStatusCode.Conflict, patch.StatusCode);
        Assert.Contains("Webhooks:Endpoints", (await patch.Body()).Str("message"));
    }

    [Fact]
    public Task A_short_configured_secret_stops_startup_naming_the_setting() =>
        Infrastructure.ServerProcess.AssertRefusesAsync(new()
        {
            ["JWT_SECRET_KEY"] = Tokens.Secret, ["Webhooks__Endpoints__0__Url"] = "https://example.com/hook", ["Webhooks__Endpoints__0__Secret"] = "short",
        }, "Webhooks:Endpoints:0:Secret");
}
