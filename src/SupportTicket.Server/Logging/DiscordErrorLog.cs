using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace SupportTicket.Server.Logging;

// Never recursive: the sink reports its own failures to Serilog's SelfLog only (its HttpClient is not from the
// logging HttpClientFactory), and the sink's and the Discord library's categories never reach either webhook.
internal static class DiscordErrorLog
{
    public const string BotCategory = "SupportTicket.Server.Discord";
    // The bot's outbox sender logs under Outbox; its errors are the bot's too.
    public const string OutboxCategory = "SupportTicket.Server.Outbox";
    private static readonly string[] NeverSent =
    [
        "SupportTicket.Server.Logging",     // this sink
        "SupportTicket.Discord",            // the Discord client library: its failures would be about Discord itself
        "System.Net.Http.HttpClient",
        "Serilog.AspNetCore.RequestLoggingMiddleware", // a 5xx request line repeats the error logged with its exception
    ];

    public static void AddSinks(LoggerConfiguration logger, ErrorWebhookOptions options)
    {
        if (options.ApiUrl is { } api)
            Add(logger, options, api, "SupportTicket errors", e => !IsBot(e));
        if (options.BotUrl is { } bot)
            Add(logger, options, bot, "SupportTicket bot errors", IsBot);
    }

    private static void Add(LoggerConfiguration logger, ErrorWebhookOptions options, Uri url, string username, Func<LogEvent, bool> admits)
    {
        var sink = new DiscordWebhookSink(url, username, options.Node);
        var batched = LoggerSinkConfiguration.CreateSink(wt => wt.Sink(sink, new BatchingOptions
        {
            BatchSizeLimit = 200,
            BufferingTimeLimit = options.Period,
            EagerlyEmitFirstEvent = true,
            QueueLimit = null,      // bounded in front (BoundedQueue), where drops are counted
        }));
        logger.WriteTo.Sink(new BoundedQueue(batched, sink, options.QueueLimit,
            e => admits(e) && !NeverSent.Any(category => From(e, category))), LogEventLevel.Error);
    }

    private static bool IsBot(LogEvent e) => From(e, BotCategory) || From(e, OutboxCategory);

    internal static bool From(LogEvent e, string category) =>
        e.Properties.TryGetValue(Constants.SourceContextPropertyName, out var value)
        && value is ScalarValue { Value: string source }
        && (source == category || source.StartsWith(category + ".", StringComparison.Ordinal));

    // Admits an event only while fewer than the limit wait for the sink; the rest are counted as dropped (the next
    // message to Discord says how many, and so does the metric). Emit never waits.
    private sealed class BoundedQueue(ILogEventSink inner, DiscordWebhookSink sink, int limit, Func<LogEvent, bool> admits)
        : ILogEventSink, IDisposable
    {
        public void Emit(LogEvent logEvent)
        {
            if (!admits(logEvent)) return;
            if (sink.TryReserve(limit)) inner.Emit(logEvent);
            else sink.CountDropped();
        }

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }
}
