namespace SupportTicket.Bench;

/// <summary>
/// The "features" load around a fanout run (issue #30, target 5; run-bench.sh FEATURES=on): one webhook endpoint on
/// this tool's loopback receiver subscribed to every event type, and the SMTP sink the server's mail goes to. The
/// timers and the seeded open tickets are the server's and the database's (run-bench.sh). Counts what arrived.
/// </summary>
public sealed class FeatureLoad : IDisposable
{
    private WebhookReceiver? _receiver;
    private SmtpSink? _sink;

    public long? WebhookEvents => _receiver?.Events;
    public long? Mails => _sink?.Mails;

    public static async Task<FeatureLoad> StartAsync(BenchOptions options, HttpClient http, Tokens tokens, CancellationToken ct)
    {
        var load = new FeatureLoad();
        try
        {
            if (options.SmtpPort is { } port) load._sink = new SmtpSink(port);
            if (!options.Features) return load;
            load._receiver = new WebhookReceiver();
            await load._receiver.SubscribeAsync(http, tokens, options, null, ct);
            return load;
        }
        catch
        {
            load.Dispose();
            throw;
        }
    }

    public string Describe(BenchOptions options) =>
        $"webhook endpoint: {(_receiver is null ? "none" : "one, every event type")}; SMTP sink: {(_sink is null ? "none" : $"127.0.0.1:{options.SmtpPort}")}; " +
        $"seeded open tickets: {(options.Seeded is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "none")}";

    public void Dispose()
    {
        _receiver?.Dispose();
        _sink?.Dispose();
    }
}
