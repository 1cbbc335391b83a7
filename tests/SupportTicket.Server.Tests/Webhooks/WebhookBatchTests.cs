using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>
/// Delivery in batches: while the receiver holds the first request, the events written meanwhile queue up, so the
/// next round claims them all at once (several tickets, several events each) and acknowledges them together.
/// </summary>
public sealed class WebhookBatchTests : IAsyncLifetime
{
    private const int Messages = 4;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>A first ticket whose event the receiver holds, then two tickets with <see cref="Messages"/> messages each.</summary>
    private async Task<string[]> QueueBatchAsync(TestApp app)
    {
        await WebhookDeliveryTests.Ready(app);
        var customer = app.ClientFor(Unique.Customer());
        await customer.CreateTicket("held");
        await _receiver.WaitFor(r => r.Count >= 1);
        var tickets = new[] { (await customer.CreateTicket("a")).Str("id"), (await customer.CreateTicket("b")).Str("id") };
        foreach (var ticket in tickets)
            for (var i = 0; i < Messages; i++) await customer.PostMessage(ticket, $"m{i}");
        return tickets;
    }

    private static long Seq(Received r) => r.Json.GetProperty("seq").GetInt64();

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_batch_sends_each_tickets_events_in_seq_order_one_after_the_other(Store store)
    {
        // seq 2 answers slowly: had a ticket's later events been sent beside it, they would arrive first.
        _receiver.Respond = async r =>
        {
            if (r.Index == 0) await _release.Task;
            else if (Seq(r) == 2) await Task.Delay(300);
            return (200, null);
        };
        using var app = WebhookDeliveryTests.App(_receiver.Url, store);
        var tickets = await QueueBatchAsync(app);
        _release.SetResult();

        var got = await _receiver.WaitFor(r => r.Count >= 1 + 2 * (Messages + 1));

        Assert.Equal(got.Count, got.Select(r => r.EventId).Distinct().Count());
        foreach (var ticket in tickets)
            Assert.Equal([1L, 2, 3, 4, 5], got.Where(r => r.Json.Str("ticket_id") == ticket).Select(Seq));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task One_failed_event_of_a_batch_is_retried_alone_and_the_acknowledged_ones_are_not_sent_again(Store store)
    {
        using var app = WebhookDeliveryTests.App(_receiver.Url, store);
        string? failing = null;
        var failed = 0;
        _receiver.Respond = async r =>
        {
            if (r.Index == 0) await _release.Task;
            var fail = r.Index > 0 && r.Json.Str("ticket_id") == failing && Seq(r) == 2 && Interlocked.Exchange(ref failed, 1) == 0;
            return (fail ? 500 : 200, null);
        };
        var tickets = await QueueBatchAsync(app);
        failing = tickets[0];
        _release.SetResult();

        var got = await _receiver.WaitFor(r => r.Count >= 2 + 2 * (Messages + 1));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.True(await Eventually.Until(async () => !await db.WebhookQueue.AnyAsync(), TimeSpan.FromSeconds(10)));

        var twice = Assert.Single(got.GroupBy(r => r.EventId).Where(g => g.Count() > 1).ToList());
        Assert.Equal(2, twice.Count());
        Assert.Equal(2, Seq(twice.First()));
        Assert.Equal(2 + 2 * (Messages + 1), got.Count); // nothing else came again
        Assert.Equal([1L, 2, 2, 3, 4, 5], got.Where(r => r.Json.Str("ticket_id") == failing).Select(Seq));
        Assert.Equal([1L, 2, 3, 4, 5], got.Where(r => r.Json.Str("ticket_id") == tickets[1]).Select(Seq));
        // The events behind the failure were claimed with the batch but not sent: no attempt is logged for them.
        var log = await db.WebhookDeliveries.GroupBy(d => d.EventId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.Equal(got.Select(r => r.EventId).Distinct().Order(), log.Select(l => l.Key).Order());
        Assert.Equal(2, log.Single(l => l.Key == twice.Key).Count);
        Assert.All(log.Where(l => l.Key != twice.Key), l => Assert.Equal(1, l.Count));
    }
}
