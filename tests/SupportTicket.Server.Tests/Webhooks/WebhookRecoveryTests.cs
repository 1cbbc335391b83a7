using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>
/// An endpoint that was down (every attempt of a round failed, on several tickets) and answers again: its waiting
/// retries become due at once instead of each waiting out its own backoff or Retry-After.
/// </summary>
public sealed class WebhookRecoveryTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task After_an_outage_the_first_success_makes_every_waiting_retry_due_at_once(Store store)
    {
        var down = true;
        string? first = null;
        _receiver.Respond = async r =>
        {
            if (r.Index == 0) await _release.Task;
            if (!Volatile.Read(ref down)) return (200, null);
            // The first ticket may retry in a second; the others are told to wait a minute.
            return (503, r.Json.Str("ticket_id") == first ? "1" : "60");
        };
        using var app = WebhookDeliveryTests.App(_receiver.Url, store);
        await WebhookDeliveryTests.Ready(app);
        var customer = app.ClientFor(Unique.Customer());
        first = (await customer.CreateTicket("first")).Str("id");
        await _receiver.WaitFor(r => r.Count >= 1);
        // Queued while the first request is held, so the next round fails on both tickets at once: the endpoint is down.
        var others = new[] { (await customer.CreateTicket("b")).Str("id"), (await customer.CreateTicket("c")).Str("id") };
        _release.SetResult();
        await _receiver.WaitFor(r => others.All(t => r.Any(x => x.Json.Str("ticket_id") == t)));

        Volatile.Write(ref down, false);
        var up = DateTimeOffset.UtcNow;
        // Without the rule the other tickets would wait out their 60 s Retry-After.
        var got = await _receiver.WaitFor(r => others.All(t => r.Count(x => x.Json.Str("ticket_id") == t && x.At > up) >= 1), seconds: 20);

        var firstSuccess = got.Where(x => x.At > up).Min(x => x.At);
        Assert.Contains(got, x => x.At == firstSuccess && x.Json.Str("ticket_id") == first); // the first ticket's retry led
        Assert.All(others, t => Assert.True(got.Where(x => x.Json.Str("ticket_id") == t && x.At > up).Min(x => x.At) - up < TimeSpan.FromSeconds(15)));
    }
}
