using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupportTicket.Server.Metrics;

// Every instrument of our own, on one meter ("SupportTicket.Server"). Static so a hot path records with one line and
// no constructor change; OpenTelemetry names ("supportticket.messages.posted" → supportticket_messages_posted_total).
public static class ServerMetrics
{
    public const string MeterName = "SupportTicket.Server";

    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> HubConnections = Meter.CreateCounter<long>(
        "supportticket.hub.connections", "{connection}", "Hub connections that sent authorize, by outcome (authorized=true|false)");

    public static readonly Counter<long> EventsDelivered = Meter.CreateCounter<long>(
        "supportticket.events.delivered", "{event}", "Events handed to hub connections, by event name");

    // Bucket boundaries (seconds) of our duration histograms: from half a millisecond to 2.5 s. Without them
    // OpenTelemetry's defaults (0, 5, 10, … 10000, meant for milliseconds) put every observation in one bucket.
    private static readonly InstrumentAdvice<double> Durations = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    };

    public static readonly Histogram<double> EventDeliveryLatency = Meter.CreateHistogram<double>(
        "supportticket.events.delivery.duration", "s", "From the commit's publish to the event being queued for every connection that may see it",
        advice: Durations);

    public static readonly Counter<long> MessagesPosted = Meter.CreateCounter<long>(
        "supportticket.messages.posted", "{message}", "Messages committed");

    public static readonly Counter<long> SlaBreaches = Meter.CreateCounter<long>(
        "supportticket.sla.breaches", "{breach}", "SLA deadlines missed, by issue level and kind (first_response, next_response)");

    public static readonly Counter<long> TimersFired = Meter.CreateCounter<long>(
        "supportticket.timers.fired", "{timer}", "Lifecycle timers acted on, by kind (sla_first_response, sla_next_response, auto_close_warning, auto_close, close_request)");

    public static readonly Counter<long> DiscordChannelLimit = Meter.CreateCounter<long>(
        "supportticket.discord.channel_limit", "{ticket}",
        "Ticket channels Discord refused at its channel limits, so the ticket's outbox row parked, by limit (guild, category)");

    public static readonly Counter<long> AttachmentsUploaded = Meter.CreateCounter<long>(
        "supportticket.attachments.uploaded", "{file}", "Files accepted by POST /tickets/{id}/attachments, by content_type");

    public static readonly Counter<long> TicketsCreated = Meter.CreateCounter<long>(
        "supportticket.tickets.created", "{ticket}", "Tickets committed (the group-committed creates)");

    public static readonly Histogram<long> GroupCommitBatchSize = Meter.CreateHistogram<long>(
        "supportticket.messages.batch.size", "{message}", "Message posts written in one group-commit transaction",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    public static readonly Histogram<double> DatabaseCommitDuration = Meter.CreateHistogram<double>(
        "supportticket.db.commit.duration", "s", "One group-commit transaction, from begin to commit", advice: Durations);

    public static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "supportticket.ratelimit.rejections", "{request}", "Requests and hub calls refused by a rate limit, by policy");

    public static readonly Counter<long> RelayRejected = Meter.CreateCounter<long>(
        "supportticket.cluster.relay.rejected", "{message}",
        "Event relay messages from Redis dropped, by reason (bad_signature, stale, replayed, malformed)");

    public static readonly Counter<long> ErrorLogMessagesSent = Meter.CreateCounter<long>(
        "supportticket.errorlog.messages.sent", "{message}", "Messages posted to the Discord error webhooks");

    public static readonly Counter<long> ErrorLogDropped = Meter.CreateCounter<long>(
        "supportticket.errorlog.dropped", "{event}", "Error log events dropped because the Discord webhook queue was full");

    private static long _outboxDepth, _outboxParked, _outboxOldestCreatedMs, _outboxOldestParkedMs;

    public static readonly ObservableGauge<long> OutboxDepth = Meter.CreateObservableGauge(
        "supportticket.outbox.depth", () => Interlocked.Read(ref _outboxDepth), "{row}", "Discord outbox rows waiting to be sent");

    public static readonly ObservableGauge<long> OutboxParked = Meter.CreateObservableGauge(
        "supportticket.outbox.parked", () => Interlocked.Read(ref _outboxParked), "{row}", "Discord outbox rows Discord refused for good");

    public static readonly ObservableGauge<double> OutboxOldestAge = Meter.CreateObservableGauge(
        "supportticket.outbox.oldest.age", () => Interlocked.Read(ref _outboxOldestCreatedMs) is var t and > 0
            ? Math.Max(0, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - t) / 1000.0) : 0, "s", "Age of the oldest waiting Discord outbox row");

    public static readonly ObservableGauge<double> OutboxParkedOldestAge = Meter.CreateObservableGauge(
        "supportticket.outbox.parked.oldest.age", () => Interlocked.Read(ref _outboxOldestParkedMs) is var t and > 0
            ? Math.Max(0, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - t) / 1000.0) : 0, "s",
        "Time since the oldest parked Discord outbox row was parked (0 when none is)");

    public static void Outbox(long depth, long parked, long? oldestCreatedMs, long? oldestParkedMs)
    {
        Interlocked.Exchange(ref _outboxOldestParkedMs, oldestParkedMs ?? 0);
        Interlocked.Exchange(ref _outboxDepth, depth);
        Interlocked.Exchange(ref _outboxParked, parked);
        Interlocked.Exchange(ref _outboxOldestCreatedMs, oldestCreatedMs ?? 0);
    }

    public static void Committed<T>((T? Ticket, Exception? Error)[] results, long started)
    {
        DatabaseCommitDuration.Record(Since(started));
        GroupCommitBatchSize.Record(results.Length);
        var stored = 0;
        foreach (var r in results)
            if (r.Error is null && r.Ticket is not null) stored++;
        if (stored > 0) MessagesPosted.Add(stored);
    }

    public static void TicketsCommitted(int stored, long started)
    {
        DatabaseCommitDuration.Record(Since(started));
        if (stored > 0) TicketsCreated.Add(stored);
    }

    public static void Rejected(string policy) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "supportticket.webhooks.deliveries", "{attempt}", "Webhook delivery attempts, by result (success, retrying, gave_up, disabled)");

    public static readonly Histogram<double> WebhookAttemptDuration = Meter.CreateHistogram<double>(
        "supportticket.webhooks.attempt.duration", "s", "From sending a webhook to its answer (or the timeout)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static IReadOnlyList<(string Endpoint, double Seconds)> _webhookOldest = [];

    public static readonly ObservableGauge<double> WebhookOldestUndelivered = Meter.CreateObservableGauge(
        "supportticket.webhooks.oldest_undelivered.age", () => _webhookOldest.Select(o =>
            new Measurement<double>(o.Seconds, new KeyValuePair<string, object?>("endpoint", o.Endpoint))),
        "s", "Per endpoint: how long its oldest queued event has waited");

    public static void WebhookAttempt(string result, long durationMs)
    {
        WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("result", result));
        WebhookAttemptDuration.Record(durationMs / 1000.0);
    }

    public static void WebhookOldest(IReadOnlyList<(string Endpoint, double Seconds)> oldest) => _webhookOldest = oldest;

    public static readonly Counter<long> EmailsSent = Meter.CreateCounter<long>(
        "supportticket.email.sent", "{mail}", "Mail send attempts, by kind (digest, closed, refusal) and result (sent, retrying, parked, skipped)");

    public static readonly Counter<long> EmailsReceived = Meter.CreateCounter<long>(
        "supportticket.email.received", "{mail}", "Mail read from the reply mailbox, by outcome (posted, refused, ignored)");

    public static double Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}
