using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>
/// Two servers on one PostgreSQL database; the lease flips while node A's request is on the wire and A does not
/// notice (a pause past its lease). A's late 2xx must not acknowledge the row (its epoch is stale) and A must send
/// nothing more; B sends the interrupted event again with the same ST-Event-Id (the unavoidable at-least-once case:
/// A's request reached the receiver) and every later event exactly once, in order.
/// </summary>
public sealed class WebhookFencingTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private LeaseApp Node(string? databaseUrl = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Url"] = _receiver.Url.ToString(), ["Webhooks:Endpoints:0:Secret"] = WebhookDeliveryTests.Secret,
            ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:AllowHttp"] = "true", ["Webhooks:RetryBaseMs"] = "100", ["Webhooks:PollMs"] = "50",
        };
        if (databaseUrl is not null) settings["Storage:DatabaseUrl"] = databaseUrl;
        return new LeaseApp(Store.Postgres, settings);
    }

    [Fact]
    public async Task A_stale_leaders_late_ack_deletes_nothing_and_it_sends_nothing_more_while_the_new_leader_resends_with_the_same_id()
    {
        var release = new TaskCompletionSource();
        _receiver.Respond = async r =>
        {
            if (r.Index == 0) await release.Task; // A's request, on the wire while the lease flips
            return (200, null);
        };
        using var a = Node();
        using var b = Node(a.DatabaseUrl);
        await SetEpochAsync(a, 1);
        a.Lease.Lead(1);
        _ = b.Services; // started, not leading
        await WebhookDeliveryTests.Ready(a);

        var customer = a.ClientFor(Unique.Customer());
        var ticket = (await customer.CreateTicket()).Str("id");
        var interrupted = (await _receiver.WaitFor(r => r.Count >= 1)).Single();

        await SetEpochAsync(a, 2); // B took the lease over; A has not noticed
        release.SetResult();
        await customer.PostMessage(ticket, "after the flip, written on A");
        await b.ClientFor(Unique.Agent()).PostMessage(ticket, "after the flip, written on B");
        // A keeps polling every 50 ms for this long: its ack and its claims are all refused by the epoch.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_receiver.Requests);
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var queued = await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookQueue.OrderBy(q => q.Id).ToListAsync();
            Assert.Single(queued); // the interrupted event stays queued; the messages were not even queued by A (cursor fenced)
            Assert.Equal(1, queued[0].Attempts);
        }

        b.Lease.Lead(2);
        var got = await _receiver.WaitFor(r => r.Count >= 4);
        await using (var scope = b.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.True(await Eventually.Until(async () => !await db.WebhookQueue.AnyAsync(), TimeSpan.FromSeconds(10)));
            var stored = await db.Events.Where(e => e.TicketId == ticket).OrderBy(e => e.Seq).Select(e => e.EventId).ToListAsync();
            Assert.Equal(3, stored.Count);
            Assert.Equal(4, _receiver.Requests.Count);
            Assert.Equal([stored[0], stored[0], stored[1], stored[2]], got.Select(r => r.EventId));
            Assert.Equal(interrupted.Body, got[1].Body); // the resend: same id, same bytes
            Assert.Equal([1L, 1L, 2L, 3L], got.Select(r => r.Json.GetProperty("seq").GetInt64()));
        }
    }

    [Fact]
    public async Task A_stale_leaders_batch_ack_deletes_none_of_the_batch_and_the_new_leader_resends_it_all_in_order()
    {
        // Request 0 holds A's first round, so the two tickets' six events queue up and A's next round claims them
        // together (epoch 1); their heads are on the wire when the lease flips.
        var (first, flip) = (new TaskCompletionSource(), new TaskCompletionSource());
        _receiver.Respond = async r =>
        {
            await (r.Index == 0 ? first.Task : r.Index <= 2 ? flip.Task : Task.CompletedTask);
            return (200, null);
        };
        using var a = Node();
        using var b = Node(a.DatabaseUrl);
        await SetEpochAsync(a, 1);
        a.Lease.Lead(1);
        _ = b.Services;
        await WebhookDeliveryTests.Ready(a);
        var customer = a.ClientFor(Unique.Customer());
        await customer.CreateTicket("held");
        await _receiver.WaitFor(r => r.Count >= 1);
        var tickets = new[] { (await customer.CreateTicket("p")).Str("id"), (await customer.CreateTicket("q")).Str("id") };
        foreach (var ticket in tickets)
            for (var i = 0; i < 2; i++) await customer.PostMessage(ticket, $"m{i}");
        first.SetResult();
        await _receiver.WaitFor(r => r.Count >= 3);

        await SetEpochAsync(a, 2);
        flip.SetResult();
        await _receiver.WaitFor(r => r.Count >= 7); // A finishes the batch it had claimed
        await Task.Delay(TimeSpan.FromSeconds(2)); // and keeps polling: its ack and its claims are refused
        Assert.Equal(7, _receiver.Requests.Count);
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var queued = await scope.ServiceProvider.GetRequiredService<AppDbContext>().WebhookQueue.ToListAsync();
            Assert.Equal(6, queued.Count);
            Assert.All(queued, q => Assert.Equal(1, q.Attempts));
        }

        b.Lease.Lead(2);
        var got = await _receiver.WaitFor(r => r.Count >= 13);
        var stale = got.Skip(1).Take(6).ToList();
        var resent = got.Skip(7).ToList();
        Assert.Equal(stale.Select(r => r.EventId).Order(), resent.Select(r => r.EventId).Order());
        Assert.All(resent, r => Assert.Equal(stale.Single(s => s.EventId == r.EventId).Body, r.Body));
        foreach (var ticket in tickets)
            Assert.Equal([1L, 2, 3], resent.Where(r => r.Json.Str("ticket_id") == ticket).Select(r => r.Json.GetProperty("seq").GetInt64()));
        await using (var scope = b.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.True(await Eventually.Until(async () => !await db.WebhookQueue.AnyAsync(), TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(13, _receiver.Requests.Count); // B's acknowledgements held
    }

    [Fact]
    public async Task Retention_runs_on_the_lease_holder_only()
    {
        using var app = new LeaseApp(Store.Sqlite, new() { ["Events:RetentionDays"] = "7" });
        var ticket = (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Events.Where(e => e.TicketId == ticket).ExecuteUpdateAsync(s => s.SetProperty(e => e.Created, e => e.Created - 8 * 86400L));

        await Task.Delay(TimeSpan.FromSeconds(1)); // a node that does not lead has had its chance to run it
        Assert.True(await db.Events.AnyAsync(e => e.TicketId == ticket));
        app.Lease.Lead(null);
        Assert.True(await Eventually.Until(async () => !await db.Events.AnyAsync(e => e.TicketId == ticket), TimeSpan.FromSeconds(10)));
    }

    private static async Task SetEpochAsync(TestApp app, long epoch)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().LeaderLease.Where(l => l.Name == Server.Cluster.LeaderLeaseRow.Discord)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Epoch, epoch));
    }
}
