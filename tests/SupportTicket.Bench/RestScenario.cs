using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// Closed-loop REST throughput at a fixed concurrency: C workers, each posting to its own ticket (post-message) or
/// opening tickets (create-ticket) back to back. With the rate limits on, a worker posts as its ticket's customer and
/// agents in turn (<see cref="PacedAuthors"/>: --authors in all) and every ticket is opened by a new customer, so no
/// user exceeds a limit; off, each worker is one customer throughout. Latency is per request; with a closed
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
        var perWorker = options.Limits ? Math.Max(1, options.Authors / options.Concurrency) : 1;
        var authors = Enumerable.Range(0, options.Concurrency).Select(w => new PacedAuthors(
            [workers[w], .. Enumerable.Range(1, perWorker - 1).Select(k => tokens.For(BenchUser.Writer(options.Run, w, k)))], options)).ToArray();
        long created = 0;
        string Creator(long n) => options.Limits ? tokens.For(BenchUser.Customer(options.Run + "n", (int)Interlocked.Increment(ref created))) : workers[n % options.Concurrency];
        var who = options.Limits
            ? $"post-message: {perWorker * options.Concurrency} distinct authors ({options.Concurrency} customers + agents), each at most {options.UserBudgetPerMinute} posts/min " +
              $"(server limit {options.UserLimitPerMinute}); create-ticket: a new customer per ticket"
            : "rate limits off: one customer per worker";
        var warmup = $"{options.WarmupSeconds} s of the same request at the same concurrency before each measurement";
        Report.Progress($"authors: {who}; warm-up: {warmup}");

        var results = new List<RestResult>();
        foreach (var (name, call) in new (string, Func<int, long, Task<int>>)[]
        {
            ("post-message", async (w, n) => await api.PostMessageAsync(await authors[w].TakeAsync(ct), tickets[w], content, ct)),
            ("create-ticket", (w, n) => api.CreateTicketStatusAsync(Creator(w), $"rest {w} {n}", ct)),
        })
        {
            Report.Progress($"{name}: concurrency {options.Concurrency}, warm-up {options.WarmupSeconds} s, measure {options.DurationSeconds} s");
            if (options.WarmupSeconds > 0) await PhaseAsync(options, call, options.WarmupSeconds, null, ct);
            var waits0 = authors.Sum(a => a.Waits);
            var cpu0 = ServerMemory.CpuSeconds(options.Pid);
            var db0 = ServerMemory.TreeCpuSeconds(options.DbPid);
            var self0 = ServerMemory.SelfCpuSeconds();
            var phase = await PhaseAsync(options, call, options.DurationSeconds, new Histogram(), ct);
            var cpu1 = ServerMemory.CpuSeconds(options.Pid);
            var db1 = ServerMemory.TreeCpuSeconds(options.DbPid);
            var s = phase.Histogram!.Summary();
            results.Add(new RestResult(name, options.Concurrency, phase.Ok, phase.Errors, phase.Throttled, authors.Sum(a => a.Waits) - waits0, phase.LastError,
                Math.Round(phase.Ok / phase.Seconds, 1), s.P50, s.P90, s.P99, s.P999, s.Max,
                cpu1 - cpu0 is { } cpu ? Math.Round(100 * cpu / phase.Seconds, 1) : null,
                cpu1 - cpu0 is { } used && phase.Ok > 0 ? Math.Round(1000 * used / phase.Ok, 3) : null,
                db1 - db0 is { } dbUsed && phase.Ok > 0 ? Math.Round(1000 * dbUsed / phase.Ok, 3) : null,
                Math.Round(100 * (ServerMemory.SelfCpuSeconds() - self0) / phase.Seconds, 1), ServerMemory.RssKb(options.Pid)));
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        var throttled = results.Sum(r => r.Throttled);
        Report.Table($"rest ({options.Label}): closed loop, concurrency {options.Concurrency}, {options.DurationSeconds} s, latency ms\n" +
            $"rate limits {(options.Limits ? "ON" : "OFF")}; {who}; warm-up: {warmup}",
            ["request", "ok", "errors", "429", "author_waits", "req/s", "p50", "p90", "p99", "p99.9", "max", "cpu%", "cpu_ms/req", "db_cpu_ms/req", "bench_cpu%", "rss_MiB"],
            results.Select(r => new object?[] { r.Request, r.Ok, r.Errors, r.Throttled, r.AuthorWaits, r.RequestsPerSecond, r.P50Ms, r.P90Ms, r.P99Ms, r.P999Ms, r.MaxMs,
                r.ServerCpuPercent, r.ServerCpuMsPerRequest, r.DbCpuMsPerRequest, r.BenchCpuPercent, r.ServerRssKb / 1024.0 }));
        if (results.Any(r => r.AuthorWaits > 0))
            Report.Line("author_waits > 0: workers waited for an author to be allowed again; raise --authors (the bench, not the server, limited that row)");
        Report.Line(Report.ThrottleCheck(options, throttled));
        Report.JsonLine(options, new { concurrency = options.Concurrency, payload_bytes = options.PayloadBytes, rate_limits = options.Limits,
            authors = who, warmup, throttled_429 = throttled, results }, new RunSummary
        {
            // Per post-message request (closed loop: no rate, no pass).
            CpuMsPerPost = [results.FirstOrDefault(r => r.Request == "post-message")?.ServerCpuMsPerRequest],
            DbCpuMsPerPost = [results.FirstOrDefault(r => r.Request == "post-message")?.DbCpuMsPerRequest],
            Throttled = throttled,
        });
        return results.All(r => r.Errors == 0) ? 0 : 2;
    }

    private sealed record Phase(long Ok, long Errors, long Throttled, int? LastError, double Seconds, Histogram? Histogram);

    private static async Task<Phase> PhaseAsync(BenchOptions options, Func<int, long, Task<int>> call, int seconds, Histogram? histogram, CancellationToken ct)
    {
        long ok = 0, errors = 0, throttled = 0, n = 0;
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
                else
                {
                    Interlocked.Increment(ref errors);
                    if (status == 429) Interlocked.Increment(ref throttled);
                    lastError = status;
                }
            }
        }));
        return new Phase(ok, errors, throttled, lastError, (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency, histogram);
    }
}

public sealed record RestResult(
    string Request, int Concurrency, long Ok, long Errors, long Throttled, long AuthorWaits, int? LastErrorStatus, double RequestsPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double? ServerCpuPercent, double? ServerCpuMsPerRequest, double? DbCpuMsPerRequest, double BenchCpuPercent, long? ServerRssKb);
