using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>
/// Two server instances on one PostgreSQL database with the real lease, both writing events, one endpoint: every
/// event delivered exactly once, each ticket's in seq order, and a ping asked of either node sent once (by the holder).
/// </summary>
public sealed class WebhookClusterTests : IAsyncLifetime
{
    private const int Writers = 6;
    private const int ChangesPerWriter = 10;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Two_nodes_writing_deliver_every_event_once_in_order_per_ticket()
    {
        using var a = WebhookDeliveryTests.App(_receiver.Url, Store.Postgres, new() { ["Cluster:NodeName"] = "node-a" });
        using var b = WebhookDeliveryTests.App(_receiver.Url, Store.Postgres, new() { ["Cluster:NodeName"] = "node-b", ["Storage:DatabaseUrl"] = a.DatabaseUrl });
        _ = b.Services;
        await WebhookDeliveryTests.Ready(a);
        var nodes = new[] { a, b };

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var node = nodes[w % 2];
            var customer = node.ClientFor(Unique.Customer());
            var agent = nodes[(w + 1) % 2].ClientFor(Unique.Agent());
            var id = (await customer.CreateTicket()).Str("id");
            for (var i = 0; i < ChangesPerWriter; i++)
                await (i % 2 == 0 ? customer : agent).PostMessage(id, $"m{i}");
        })));
        var pings = new List<string>();
        foreach (var node in nodes)
        {
            var ping = await node.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/webhooks/whk_config_0/ping", new { });
            pings.Add((await ping.Body()).Str("event_id"));
        }

        List<string> stored;
        await using (var scope = a.Services.CreateAsyncScope())
            stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Events.Select(e => e.EventId).ToListAsync();
        Assert.Equal(Writers * (ChangesPerWriter + 1), stored.Count);
        var got = await _receiver.WaitFor(r => r.Count >= stored.Count + pings.Count, seconds: 60);

        Assert.Equal(got.Count, got.Select(r => r.EventId).Distinct().Count()); // no id twice
        Assert.Equal(stored.Concat(pings).Order(), got.Select(r => r.EventId).Order()); // none lost
        Assert.All(got, r => Assert.True(r.SignedWith(WebhookDeliveryTests.Secret)));
        foreach (var ticket in got.Where(r => r.Type != "ping").GroupBy(r => r.Json.Str("ticket_id")))
            Assert.Equal(Enumerable.Range(1, ChangesPerWriter + 1).Select(i => (long)i), ticket.Select(r => r.Json.GetProperty("seq").GetInt64()));
    }
}
