using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// Closed-loop REST throughput at a fixed concurrency: C workers, each its own customer, each posting to its own
/// ticket (post-message) or opening tickets (create-ticket) back to back. Latency is per request; with a closed
/// loop it is the latency at that concurrency, and throughput is what the server sustains there. Server CPU per
/// request (from /proc) is reported too: it stays meaningful when other work shares the machine.
/// </summary>
public static class RestScenario
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var tokens = new Tokens(options.Key);
        using var handler = Transport.Handler(options.SourceAddresses, options.Concurrency);
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        var api = new Api(http);
        var workers = Enumerable.Range(0, options.Concurrency).Select(i => tokens.For(BenchUser.Customer(options.Run, i))).ToArray();
        var tickets = new string[options.Concurrency];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Concurrency), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => tickets[i] = await api.CreateTicketAsync(workers[i], $"bench {options.Run} rest {i}", token));
        var content = Api.Content(0, options.PayloadBytes);

        var results = new List<RestResult>();
        foreach (var (name, call) in new (string, Func<int, long, Task<int>>)[]
        {
            ("post-message", (w, n) => api.PostMessageAsync(workers[w], tickets[w], content, ct)),
            ("create-ticket", (w, n) => api.CreateTicketStatusAsync(workers[w], $"rest {w} {n}", ct)),
        })
        {
            Report.Progress($"{name}: concurrency {options.Concurrency}, warm-up {options.WarmupSeconds} s, measure {options.DurationSeconds} s");
            if (options.WarmupSeconds > 0) await PhaseAsync(options, call, options.WarmupSeconds, null, ct);
            var cpu0 = ServerMemory.CpuSeconds(options.Pid);
            var db0 = ServerMemory.TreeCpuSeconds(options.DbPid);
            var self0 = ServerMemory.SelfCpuSeconds();
            var phase = await PhaseAsync(options, call, options.DurationSeconds, new Histogram(), ct);
            var cpu1 = ServerMemory.CpuSeconds(options.Pid);
            var db1 = ServerMemory.TreeCpuSeconds(options.DbPid);
            var s = phase.Histogram!.Summary();
            results.Add(new RestResult(name, options.Concurrency, phase.Ok, phase.Errors, phase.LastError,
                Math.Round(phase.Ok / phase.Seconds, 1), s.P50, s.P90, s.P99, s.P999, s.Max,
                cpu1 - cpu0 is { } cpu ? Math.Round(100 * cpu / phase.Seconds, 1) : null,
                cpu1 - cpu0 is { } used && phase.Ok > 0 ? Math.Round(1000 * used / phase.Ok, 3) : null,
                db1 - db0 is { } dbUsed && phase.Ok > 0 ? Math.Round(1000 * dbUsed / phase.Ok, 3) : null,
                Math.Round(100 * (ServerMemory.SelfCpuSeconds() - self0) / phase.Seconds, 1), ServerMemory.RssKb(options.Pid)));
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        Report.Table($"rest ({options.Label}): closed loop, concurrency {options.Concurrency}, {options.DurationSeconds} s, latency ms",
            ["request", "ok", "errors", "req/s", "p50", "p90", "p99", "p99.9", "max", "cpu%", "cpu_ms/req", "db_cpu_ms/req", "bench_cpu%", "rss_MiB"],
            results.Select(r => new object?[] { r.Request, r.Ok, r.Errors, r.RequestsPerSecond, r.P50Ms, r.P90Ms, r.P99Ms, r.P999Ms, r.MaxMs,
                r.ServerCpuPercent, r.ServerCpuMsPerRequest, r.DbCpuMsPerRequest, r.BenchCpuPercent, r.ServerRssKb / 1024.0 }));
        Report.JsonLine(options, new { concurrency = options.Concurrency, payload_bytes = options.PayloadBytes, results });
        return results.All(r => r.Errors == 0) ? 0 : 2;
    }

    private sealed record Phase(long Ok, long Errors, int? LastError, double Seconds, Histogram? Histogram);

    private static async Task<Phase> PhaseAsync(BenchOptions options, Func<int, long, Task<int>> call, int seconds, Histogram? histogram, CancellationToken ct)
    {
        long ok = 0, errors = 0, n = 0;
        int? lastError = null;
        var started = Stopwatch.GetTimestamp();
        var end = started + seconds * Stopwatch.Frequency;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async w =>
        {
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                int status;
                try { status = await call(w, Interlocked.Increment(ref n)); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { status = 0; }
                histogram?.RecordTicks(Stopwatch.GetTimestamp() - t0);
                if (status == 201) Interlocked.Increment(ref ok);
                else { Interlocked.Increment(ref errors); lastError = status; }
            }
        }));
        return new Phase(ok, errors, lastError, (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency, histogram);
    }
}

public sealed record RestResult(
    string Request, int Concurrency, long Ok, long Errors, int? LastErrorStatus, double RequestsPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double? ServerCpuPercent, double? ServerCpuMsPerRequest, double? DbCpuMsPerRequest, double BenchCpuPercent, long? ServerRssKb);
