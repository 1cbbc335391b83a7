using System.Text.Json.Nodes;
using Serilog.Core;
using Serilog.Events;

namespace SupportTicket.Server.Logging;

// Turns a batch of error events into Discord webhook messages within Discord's limits: events alike (same level,
// template, exception type and source) become one embed with "+N more like this", at most 10 embeds and about 5,500
// characters per message (Discord allows 6,000).
internal static class DiscordEmbeds
{
    private const int MaxEmbedsPerMessage = 10;
    private const int MaxCharsPerMessage = 5500;
    private const int ExceptionLines = 6;

    public static List<JsonObject> Messages(IReadOnlyCollection<LogEvent> batch, long dropped, string username, string node)
    {
        var embeds = batch
            .GroupBy(e => (e.Level, e.MessageTemplate.Text, Exception: e.Exception?.GetType().FullName, Source: Property(e, Constants.SourceContextPropertyName)))
            .Select(g => Embed(g.First(), g.Count() - 1, node))
            .ToList();
        if (dropped > 0)
            embeds.Add(new JsonObject
            {
                ["title"] = Cut($"{dropped} error log events dropped on {node}", 256),
                ["description"] = "The webhook queue was full (Discord slower than the errors). See the node's own log for them.",
                ["color"] = 0x95A5A6,
            });

        var messages = new List<JsonObject>();
        JsonArray? current = null;
        var chars = 0;
        foreach (var embed in embeds)
        {
            var size = embed.ToJsonString().Length;
            if (current is null || current.Count == MaxEmbedsPerMessage || chars + size > MaxCharsPerMessage)
            {
                current = [];
                chars = 0;
                messages.Add(new JsonObject
                {
                    ["username"] = username,
                    ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() }, // "@everyone" in a log line pings nobody
                    ["embeds"] = current,
                });
            }
            current.Add(embed);
            chars += size;
        }
        return messages;
    }

    private static JsonObject Embed(LogEvent e, int more, string node)
    {
        var fields = new JsonArray();
        if (e.Exception is { } exception)
        {
            var lines = exception.ToString().Split('\n', ExceptionLines + 1).Take(ExceptionLines).Select(l => l.TrimEnd());
            fields.Add(Field("Exception", Cut($"`{exception.GetType().FullName}`\n```\n{Cut(string.Join('\n', lines), 900)}\n```", 1024), inline: false));
        }
        fields.Add(Field("Correlation id", Property(e, RequestLogging.CorrelationId) ?? "-", inline: true));
        fields.Add(Field("Node", node, inline: true));
        if (Property(e, Constants.SourceContextPropertyName) is { } source) fields.Add(Field("Source", source, inline: true));
        return new JsonObject
        {
            ["title"] = Cut($"{e.Level} on {node}", 256),
            ["description"] = Cut(e.RenderMessage(), 1500),
            ["color"] = e.Level == LogEventLevel.Fatal ? 0x8B0000 : 0xE74C3C,
            ["timestamp"] = e.Timestamp.ToUniversalTime().ToString("O"),
            ["fields"] = fields,
            ["footer"] = new JsonObject { ["text"] = more > 0 ? $"+{more} more like this" : "SupportTicket" },
        };
    }

    private static JsonObject Field(string name, string value, bool inline) =>
        new() { ["name"] = name, ["value"] = Cut(value.Length == 0 ? "-" : value, 1024), ["inline"] = inline };

    private static string? Property(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) ? value is ScalarValue { Value: var v } ? v?.ToString() : value.ToString() : null;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
