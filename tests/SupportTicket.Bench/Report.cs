using System.Globalization;
using System.Text.Json;

namespace SupportTicket.Bench;

/// <summary>Prints a fixed-width table for people, and one <c>SUMMARY …</c> and one <c>BENCH_JSON {…}</c> line per run for scripts.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Table(string title, string[] headers, IEnumerable<object?[]> rows)
    {
        var cells = rows.Select(r => r.Select(Format).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadLeft(widths[i]))));
        foreach (var row in cells) Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
    }

    public static void Line(string text) => Console.WriteLine(text);

    /// <summary>The 429 check line: with the limits on, the bench's authors stay under them, so any 429 fails the run.</summary>
    public static string ThrottleCheck(BenchOptions options, long throttled) => options.Limits
        ? $"429 answers: {throttled} (rate limits on; must be 0): {(throttled == 0 ? "PASS" : "FAIL")}"
        : $"429 answers: {throttled} (rate limits off)";

    /// <summary>Progress goes to stderr so stdout holds only tables and JSON.</summary>
    public static void Progress(string text) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");

    /// <summary>The run's <c>SUMMARY</c> line (<see cref="RunSummary"/>), then its <c>BENCH_JSON</c> line with the same fields.</summary>
    public static void JsonLine(BenchOptions options, object result, RunSummary summary)
    {
        var fields = summary.Fields(options, Steal.Since()).ToList();
        Console.WriteLine("SUMMARY " + string.Join(" ", fields.Select(f => $"{f.Key}={RunSummary.Text(f.Value)}")));
        Console.WriteLine("BENCH_JSON " + JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["scenario"] = options.Scenario, ["label"] = options.Label, ["url"] = options.Url.ToString(),
            ["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["summary"] = fields.ToDictionary(f => f.Key, f => f.Value), ["result"] = result,
        }, Json));
    }

    private static string Format(object? value) => value switch
    {
        null => "-",
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
