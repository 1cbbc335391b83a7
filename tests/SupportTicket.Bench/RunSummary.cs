using System.Globalization;

namespace SupportTicket.Bench;

/// <summary>
/// The run in one line (issue #30): <c>SUMMARY key=value …</c>, the same keys in the same order for every scenario,
/// "-" where a figure does not apply; lists hold one value per rate. run-bench.sh collects these lines into
/// summary.txt, and the BENCH_JSON line carries the same fields under "summary".
/// </summary>
public sealed record RunSummary
{
    public IReadOnlyList<int> Rates { get; init; } = [];
    public IReadOnlyList<double?> P99FirstMs { get; init; } = [];
    public IReadOnlyList<double?> P99SecondMs { get; init; } = [];
    public int? BestFirst { get; init; }
    public int? BestSecond { get; init; }
    /// <summary>Server (and database) CPU per post: of the last pass at each rate.</summary>
    public IReadOnlyList<double?> CpuMsPerPost { get; init; } = [];
    public IReadOnlyList<double?> DbCpuMsPerPost { get; init; } = [];
    public double? IdleKbPerConnection { get; init; }
    public long? Lost { get; init; }
    public long? Throttled { get; init; }
    /// <summary>Features load: webhook events and mails received, seeded open tickets.</summary>
    public long? WebhookEvents { get; init; }
    public long? Mails { get; init; }

    /// <summary>The fields in their order: null where a figure does not apply, lists one value per rate.</summary>
    public IEnumerable<(string Key, object? Value)> Fields(BenchOptions o, Steal.Share steal) =>
    [
        ("store", o.Store), ("scenario", o.Scenario), ("commit", o.Commit), ("label", o.Label),
        ("rates", Rates), ("p99_first_ms", P99FirstMs), ("p99_second_ms", P99SecondMs), ("best_first", BestFirst), ("best_second", BestSecond),
        ("cpu_ms_per_post", CpuMsPerPost), ("db_cpu_ms_per_post", DbCpuMsPerPost), ("idle_kb_per_conn", IdleKbPerConnection),
        ("lost", Lost), ("throttled_429", Throttled), ("steal_pct", steal.AllCores), ("steal_core0_pct", steal.Core0),
        ("features", o.Features ? "on" : "off"), ("seeded", o.Seeded), ("webhook_events", WebhookEvents), ("mails", Mails),
    ];

    /// <summary>One field as the SUMMARY line shows it: "-" for none, lists joined with commas.</summary>
    public static string Text(object? value) => value switch
    {
        null => "-",
        string s => s.Length == 0 ? "-" : s.Replace(' ', '_'),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => list.Cast<object?>().ToList() is { Count: > 0 } items ? string.Join(",", items.Select(Text)) : "-",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}

/// <summary>The hypervisor's steal since the tool started, from /proc/stat: of both cores, and of core 0 (the server's).</summary>
public static class Steal
{
    public readonly record struct Share(double? AllCores, double? Core0);

    private static (long Steal, long Total)[]? _start;

    /// <summary>Called once when the tool starts.</summary>
    public static void Begin() => _start = Read();

    public static Share Since() => Read() is { } now && _start is { } start
        ? new(Percent(now[0], start[0]), now.Length > 1 && start.Length > 1 ? Percent(now[1], start[1]) : null)
        : new(null, null);

    private static double Percent((long Steal, long Total) now, (long Steal, long Total) start) =>
        now.Total > start.Total ? Math.Round(100.0 * (now.Steal - start.Steal) / (now.Total - start.Total), 1) : 0;

    // "cpu" and "cpu0" lines: user nice system idle iowait irq softirq steal …
    private static (long, long)[]? Read()
    {
        try
        {
            return File.ReadLines("/proc/stat").Where(l => l.StartsWith("cpu ", StringComparison.Ordinal) || l.StartsWith("cpu0 ", StringComparison.Ordinal))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray())
                .Select(v => (v.Length > 7 ? v[7] : 0, v.Sum())).ToArray();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
