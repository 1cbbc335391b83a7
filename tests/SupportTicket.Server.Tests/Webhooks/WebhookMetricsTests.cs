using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Webhooks;

public sealed class WebhookMetricsTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Attempts_by_result_their_duration_and_the_oldest_undelivered_event_per_endpoint_are_scraped()
    {
        _receiver.Respond = _ => Task.FromResult((500, (string?)null)); // the event stays queued
        using var app = WebhookDeliveryTests.App(_receiver.Url);
        await WebhookDeliveryTests.Ready(app);
        await app.ClientFor(Unique.Customer()).CreateTicket();
        await _receiver.WaitFor(r => r.Count >= 2);

        var text = "";
        Assert.True(await Eventually.Until(async () =>
        {
            text = await app.Anonymous().GetStringAsync("/metrics");
            return System.Text.RegularExpressions.Regex.IsMatch(text, @"(?m)^supportticket_webhooks_oldest_undelivered_age_seconds\{[^}]*endpoint=""whk_config_0""");
        }, TimeSpan.FromSeconds(10)), text);
        Assert.Matches(@"(?m)^supportticket_webhooks_deliveries_total\{[^}]*result=""retrying""[^}]*\} [1-9]", text);
        Assert.Matches(@"(?m)^supportticket_webhooks_attempt_duration_seconds_count(\{[^}]*\})? [1-9]", text);
    }
}
