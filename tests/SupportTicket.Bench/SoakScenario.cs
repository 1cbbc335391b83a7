namespace SupportTicket.Bench;

/// <summary>
/// Mixed load for M minutes: the fan-out rig posting at a fixed rate, plus N idle authorized connections (other
/// customers' widgets). Reported per interval, so a leak (RSS drift) or a slow tail build-up (p99.9) shows as a trend.
/// </summary>
public static class SoakScenario
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var tokens = new Tokens(options.Key);
        using var handler = Transport.Handler(options.SourceAddresses, 1024);
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var hubInvoker = new HttpMessageInvoker(Transport.Handler(options.SourceAddresses, int.MaxValue));
        var windows = Math.Max(1, options.Minutes * 60 / options.ReportSeconds);
        var ledger = new PostLedger(options.Rate * (windows * options.ReportSeconds + options.WarmupSeconds) + 16);
        await using var rig = new FanoutRig(options, tokens, new Api(http), hubInvoker, ledger, options.Rate);
        await using var idle = new ConnectionPool(options, tokens, hubInvoker);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.TracePath is not null) ledger.KeepTimeline();
        using var probe = options.TracePath is null ? null : new GeneratorProbe();

        Report.Progress($"setting up {options.Tickets} tickets x {rig.Recipients} connections and {options.Connections} idle connections");
        await rig.SetUpAsync(ct);
        var idleUsers = Enumerable.Range(0, options.Connections).Select(i => (BenchUser.Customer(options.Run + "i", i), i)).ToList();
        await idle.OpenAsync(idleUsers, 2048, null, null, ct);
        var keepAlive = Task.WhenAll(idle.KeepAliveAsync(stop.Token), rig.Pool.KeepAliveAsync(stop.Token));
        if (options.WarmupSeconds > 0) await rig.RunOpenLoopAsync(options.Rate, options.WarmupSeconds, null, ct);

        var measured = new List<(WindowStats Window, long? RssKb)>();
        var measuredFrom = PostLedger.Now;
        for (var i = 0; i < windows && !ct.IsCancellationRequested; i++)
        {
            var window = ledger.NewWindow($"{(i + 1) * options.ReportSeconds}s");
            var cpu0 = ServerMemory.CpuSeconds(options.Pid);
            await rig.RunOpenLoopAsync(options.Rate, options.ReportSeconds, window, ct);
            var cpu = ServerMemory.CpuSeconds(options.Pid) - cpu0;
            var rss = ServerMemory.RssKb(options.Pid);
            measured.Add((window, rss));
            Report.Progress($"  {window.Name}: rss {rss} KiB, cpu {(cpu is { } c ? Math.Round(100 * c / options.ReportSeconds) : null)}%");
        }
        // Windows are settled after the drain: an event that arrives late (a cold server's backlog of seconds) is
        // late, counted in its window's latency, not lost; lost means it never came.
        await rig.DrainAsync(TimeSpan.FromSeconds(10), ct);
        if (options.TracePath is { } trace)
        {
            ledger.WriteTimeline(trace);
            probe!.Write(trace + ".generator", ledger.DueTicks(0));
            Report.Line($"timeline: {trace}; the load generator's thread pool waited at most {probe.MaxWaitMs(measuredFrom):0.0} ms after the warm-up ({trace}.generator)");
        }
        var rows = measured.Select((m, i) => Row(ledger, m.Window, i, options, m.RssKb)).ToList();
        var openIdle = idle.OpenCount;
        stop.Cancel();
        await keepAlive;

        Report.Table($"soak ({options.Label}): {options.Rate} POST/s to {options.Tickets} tickets x {rig.Recipients} + {options.Connections} idle connections, latency ms",
            ["t_s", "posts", "delivered/expected", "lost", "err", "p50", "p99", "p99.9", "max", "rss_MiB"],
            rows.Select(r => new object?[] { r.EndSeconds, r.Posts, $"{r.Delivered}/{r.Expected}", r.Lost, r.Errors, r.P50Ms, r.P99Ms, r.P999Ms, r.MaxMs, r.ServerRssKb / 1024.0 }));
        var drift = rows.Count > 1 && rows[0].ServerRssKb is { } first && rows[^1].ServerRssKb is { } last ? last - first : (long?)null;
        Report.Line($"RSS drift first→last interval: {(drift is null ? "n/a" : $"{drift / 1024.0:0.0} MiB")}; idle connections still open: {openIdle}/{idle.Connections.Count}");
        Report.JsonLine(options, new { rate = options.Rate, minutes = options.Minutes, tickets = options.Tickets, idle_connections = idle.Connections.Count,
            idle_failed = idle.Failures, idle_open_at_end = openIdle, rss_drift_kb = drift, intervals = rows },
            new RunSummary { Rates = [options.Rate], Lost = rows.Sum(r => r.Lost) });
        return rows.All(r => r.Lost == 0 && r.Errors == 0) ? 0 : 2;
    }

    private static SoakRow Row(PostLedger ledger, WindowStats w, int index, BenchOptions options, long? rssKb)
    {
        ledger.Settle(w);
        var e = w.Event.Summary();
        return new SoakRow((index + 1) * options.ReportSeconds, w.Posts, w.Expected, w.Delivered, w.Lost, w.Errors + w.Unanswered,
            e.P50, e.P99, e.P999, e.Max, rssKb);
    }
}

public sealed record SoakRow(int EndSeconds, long Posts, long Expected, long Delivered, long Lost, long Errors,
    double P50Ms, double P99Ms, double P999Ms, double MaxMs, long? ServerRssKb);
