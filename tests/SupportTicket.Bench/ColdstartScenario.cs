using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// A node started under load. A first server process (<c>--server-cmd</c>) creates the tickets and stops; then the
/// open-loop sender starts at --rate POST/s at the same instant as a second, cold process of the same command, and the
/// hub connections reconnect as soon as it answers /health/ready (as widgets would after a restart). Reported second
/// by second from the process start: POSTs due, answered 201, failed (refused while the process is not listening yet),
/// latency of the 201 answers and of the events from the scheduled time, connections open, server CPU. Posts to recipients not yet
/// reconnected cannot be delivered, so "lost" is not a verdict here; latency and throughput are.
/// </summary>
public static class ColdstartScenario
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        if (options.ServerCommand.Length == 0) throw new ArgumentException("coldstart needs --server-cmd");
        var tokens = new Tokens(options.Key);
        var (rate, seconds) = (options.Rate, options.ColdSeconds);
        using var probe = new HttpClient(Transport.Handler(1, 4)) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(1) };
        using var setupHttp = new HttpClient(Transport.Handler(options.SourceAddresses, 64)) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(Transport.Handler(options.SourceAddresses, 1024)) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var hubInvoker = new HttpMessageInvoker(Transport.Handler(options.SourceAddresses, int.MaxValue));
        var ledger = new PostLedger(rate * seconds + 16);
        await using var setupRig = new FanoutRig(options, tokens, new Api(setupHttp), hubInvoker, ledger, rate);
        await using var rig = new FanoutRig(options, tokens, new Api(http), hubInvoker, ledger, rate);

        Report.Progress($"setup process: creating {options.Tickets} tickets");
        await using (var setup = ServerProcess.Start(options.ServerCommand))
        {
            if (await setup.WaitReadyAsync(probe, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(60), ct) is null)
                throw new InvalidOperationException("the setup server did not become ready in 60 s");
            await setupRig.CreateTicketsAsync(ct);
        }
        rig.UseTicketsOf(setupRig);
        Report.Progress($"authors: {rig.Authors.Describe(options)}; starting the server cold under {rate} POST/s for {seconds} s");

        var windows = Enumerable.Range(0, seconds).Select(i => ledger.NewWindow($"{i + 1}")).ToArray();
        var start = Stopwatch.GetTimestamp();
        await using var server = ServerProcess.Start(options.ServerCommand);
        var cpu = new double?[seconds + 1];
        var open = new int[seconds + 1];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = SampleAsync(start, server.Pid, cpu, open, rig, stop.Token);
        var ready = server.WaitReadyAsync(probe, start, TimeSpan.FromSeconds(60), ct);
        var connected = ConnectWhenReadyAsync(ready, rig, start, ct);
        await rig.RunOpenLoopPerPostAsync(rate, seconds, sent => windows[Math.Min(seconds - 1, sent / rate)], ct);
        await rig.DrainAsync(TimeSpan.FromSeconds(10), ct);
        var readyAfter = await ready;
        var connectedAfter = await connected;
        await stop.CancelAsync();
        await sampler;

        var rows = windows.Select((w, i) =>
        {
            ledger.Settle(w);
            var (e, p) = (w.Event.Summary(), w.PostOk.Summary());
            double? cpuPercent = cpu[i + 1] is { } b && (i == 0 ? 0 : cpu[i]) is { } a ? Math.Round(100 * (b - a), 0) : null;
            return new ColdRow(i + 1, w.Posts, w.Posts - w.Errors - w.Unanswered, w.Errors + w.Unanswered, w.Throttled,
                p.P50, p.P99, w.Delivered, e.P50, e.P99, e.Max, open[i + 1], cpuPercent);
        }).ToList();
        var throttled = rows.Sum(r => r.Throttled);
        Report.Table($"coldstart ({options.Label}): server process started at t=0 under {rate} POST/s ({options.Tickets} tickets x {rig.Recipients} connections, " +
            $"{options.PayloadBytes}-byte messages), per second of scheduled time, latency ms from the scheduled POST time\n" +
            $"rate limits {(options.Limits ? "ON" : "OFF")}; {rig.Authors.Describe(options)}; no warm-up (that is the point); " +
            $"/health/ready answered after {Seconds(readyAfter)}, all hub connections open after {Seconds(connectedAfter)} ({rig.Pool.Failures} failed)",
            ["t_s", "due", "201", "failed", "429", "201_p50", "201_p99", "events", "event_p50", "event_p99", "event_max", "hub_open", "cpu%"],
            rows.Select(r => new object?[] { r.Second, r.Posts, r.Ok, r.Failed, r.Throttled, r.OkP50Ms, r.OkP99Ms, r.Delivered,
                r.EventP50Ms, r.EventP99Ms, r.EventMaxMs, r.HubOpen, r.ServerCpuPercent }));
        var late = rows.Where(r => r.Second >= 5).ToList();
        var worst = late.Count == 0 ? 0 : late.Max(r => Math.Max(r.OkP99Ms, r.EventP99Ms));
        var failedLate = late.Sum(r => r.Failed);
        Report.Line($"from second 5 on: worst per-second p99 (POST or event) {worst} ms, {failedLate} failed POSTs " +
            $"(target p99 <= {options.TargetP99Ms} ms): {(worst <= options.TargetP99Ms && failedLate == 0 ? "PASS" : "FAIL")}");
        Report.Line(Report.ThrottleCheck(options, throttled));
        Report.JsonLine(options, new { rate, seconds, tickets = options.Tickets, recipients = rig.Recipients, rate_limits = options.Limits,
            authors = rig.Authors.Total, ready_seconds = readyAfter?.TotalSeconds, connected_seconds = connectedAfter?.TotalSeconds,
            hub_failures = rig.Pool.Failures, throttled_429 = throttled, worst_p99_from_5s_ms = worst, failed_from_5s = failedLate, per_second = rows },
            new RunSummary { Rates = [rate], Throttled = throttled });
        return options.Limits && throttled > 0 ? 2 : 0;
    }

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.00} s" : "never";

    private static async Task<TimeSpan?> ConnectWhenReadyAsync(Task<TimeSpan?> ready, FanoutRig rig, long start, CancellationToken ct)
    {
        if (await ready is null) return null;
        await rig.ConnectAsync(ct);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>At each whole second after <paramref name="start"/>: the server's CPU seconds so far and the connections open.</summary>
    private static async Task SampleAsync(long start, int pid, double?[] cpu, int[] open, FanoutRig rig, CancellationToken ct)
    {
        try
        {
            for (var i = 1; i < cpu.Length; i++)
            {
                var due = start + i * Stopwatch.Frequency;
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), ct);
                cpu[i] = ServerMemory.CpuSeconds(pid);
                open[i] = rig.Pool.Connections.Count;
            }
        }
        catch (OperationCanceledException) { }
    }
}

/// <summary>One second of a cold start.</summary>
public sealed record ColdRow(int Second, long Posts, long Ok, long Failed, int Throttled, double OkP50Ms, double OkP99Ms, long Delivered,
    double EventP50Ms, double EventP99Ms, double EventMaxMs, int HubOpen, double? ServerCpuPercent);
