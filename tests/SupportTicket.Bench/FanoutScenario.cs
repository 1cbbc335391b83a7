namespace SupportTicket.Bench;

/// <summary>
/// The step ladder: a named initial warm-up, then at each rate (after an optional warm-up, 0 s by default) the
/// measured passes back to back (--passes, 2 by default), each followed by a drain. The first pass shows what a step
/// up costs, the second the steady state (issue #30). Reports per pass delivered/expected and latency from each
/// POST's scheduled time to each recipient's receipt of its event, and per pass number the highest rate that held
/// p99 within the target with nothing lost.
/// </summary>
public static class FanoutScenario
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var tokens = new Tokens(options.Key);
        using var handler = Transport.Handler(options.SourceAddresses, 1024);
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var hubInvoker = new HttpMessageInvoker(Transport.Handler(options.SourceAddresses, int.MaxValue));
        var capacity = options.Rates.Sum(r => (long)r * (options.StepSeconds * options.Passes + options.WarmupSeconds))
            + (long)options.WarmupRate * options.InitialWarmupSeconds + options.Rates.Length * options.Passes + 1;
        var ledger = new PostLedger((int)Math.Min(capacity, 50_000_000));
        using var features = await FeatureLoad.StartAsync(options, http, tokens, ct);
        await using var rig = new FanoutRig(options, tokens, new Api(http), hubInvoker, ledger, Math.Max(options.Rates.Max(), options.WarmupRate));
        Report.Progress($"setting up {options.Tickets} tickets x {rig.Recipients} connections; {features.Describe(options)}");
        await rig.SetUpAsync(ct);
        var warmup = WarmupText(options);
        Report.Progress($"authors: {rig.Authors.Describe(options)}; warm-up: {warmup}");
        var initial = ledger.NewWindow("initial warm-up");
        if (options.InitialWarmupSeconds > 0)
        {
            await rig.RunOpenLoopAsync(options.WarmupRate, options.InitialWarmupSeconds, initial, ct);
            await rig.DrainAsync(TimeSpan.FromSeconds(10), ct);
            ledger.Settle(initial);
            Report.Progress($"  initial warm-up: {initial.Posts} posts, {initial.Throttled} x 429, {initial.Errors} errors");
        }

        var steps = new List<StepResult>();
        foreach (var rate in options.Rates)
        {
            Report.Progress($"rate {rate}/s: warm-up {options.WarmupSeconds} s, then {options.Passes} x {options.StepSeconds} s measured back to back");
            if (options.WarmupSeconds > 0) await rig.RunOpenLoopAsync(rate, options.WarmupSeconds, null, ct);
            StepResult? step = null;
            for (var pass = 1; pass <= options.Passes; pass++)
            {
                step = await MeasureAsync(options, rig, ledger, rate, pass, ct);
                steps.Add(step);
                Report.Progress($"  pass {pass}: {step.Posts} posts, {step.Delivered}/{step.Expected} events, p99 {step.EventP99Ms} ms, errors {step.Errors}");
            }
            if (step!.EventP99Ms > options.StopP99Ms || step.Lost > step.Expected / 100 || step.Errors > step.Posts / 100)
            {
                Report.Progress($"  stopping the ladder: the last pass is past the stop threshold ({options.StopP99Ms} ms or >1% lost/failed)");
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }

        var best = Enumerable.Range(1, options.Passes).Select(p => Best(options, steps, p)).ToArray();
        var throttled = initial.Throttled + steps.Sum(s => s.Throttled);
        Report.Table($"fanout ({options.Label}): {options.Tickets} tickets x {rig.Recipients} connections, {options.PayloadBytes}-byte messages, latency from scheduled POST time (ms)\n" +
            $"rate limits {(options.Limits ? "ON" : "OFF")}; {rig.Authors.Describe(options)}; warm-up: {warmup}; {features.Describe(options)}",
            ["rate/s", "pass", "posts", "delivered/expected", "lost", "err", "429", "p50", "p99", "p99.9", "max", "post_p99", "cpu%", "cpu_ms/post", "db_cpu_ms/post", "bench_cpu%", "rss_MiB"],
            steps.Select(s => new object?[] { s.Rate, s.Pass, s.Posts, $"{s.Delivered}/{s.Expected}", s.Lost, s.Errors, s.Throttled, s.EventP50Ms, s.EventP99Ms,
                s.EventP999Ms, s.EventMaxMs, s.PostP99Ms, s.ServerCpuPercent, s.ServerCpuMsPerPost, s.DbCpuMsPerPost, s.BenchCpuPercent, s.ServerRssKb / 1024.0 }));
        for (var p = 1; p <= options.Passes; p++)
            Report.Line($"pass {p}: highest rate with p99 <= {options.TargetP99Ms} ms and nothing lost, at it and every lower step: {(best[p - 1] is { } b ? b + " POST/s" : "none")}");
        var (webhookEvents, mails) = (features.WebhookEvents, features.Mails);
        if (options.Features || options.SmtpPort is not null)
            Report.Line($"features: {webhookEvents?.ToString() ?? "-"} webhook events and {mails?.ToString() ?? "-"} mails received during the run");
        Report.Line(Report.ThrottleCheck(options, throttled));
        Report.JsonLine(options, new { tickets = options.Tickets, recipients = rig.Recipients, payload_bytes = options.PayloadBytes,
            step_seconds = options.StepSeconds, passes = options.Passes, warmup_seconds = options.WarmupSeconds, initial_warmup_seconds = options.InitialWarmupSeconds,
            warmup_rate = options.WarmupRate, warmup, rate_limits = options.Limits, authors = rig.Authors.Total, user_budget_per_minute = options.UserBudgetPerMinute,
            throttled_429 = throttled, target_p99_ms = options.TargetP99Ms, best_rate = best[0], best_rate_by_pass = best,
            webhook_events = webhookEvents, mails, steps }, Summarize(options, steps, best, throttled) with { WebhookEvents = webhookEvents, Mails = mails });
        return options.Limits && throttled > 0 ? 2 : 0;
    }

    /// <summary>One measured pass at <paramref name="rate"/>: CPU up to the end of its drain, so deferred work is charged to it.</summary>
    private static async Task<StepResult> MeasureAsync(BenchOptions options, FanoutRig rig, PostLedger ledger, int rate, int pass, CancellationToken ct)
    {
        var window = ledger.NewWindow($"{rate}/s #{pass}");
        var cpu0 = ServersCpu(options);
        var db0 = ServerMemory.TreeCpuSeconds(options.DbPid);
        var self0 = ServerMemory.SelfCpuSeconds();
        var started = PostLedger.Now;
        await rig.RunOpenLoopAsync(rate, options.StepSeconds, window, ct);
        var sendSeconds = (PostLedger.Now - started) / (double)System.Diagnostics.Stopwatch.Frequency;
        await rig.DrainAsync(TimeSpan.FromSeconds(10), ct);
        var cpu1 = ServersCpu(options);
        var db1 = ServerMemory.TreeCpuSeconds(options.DbPid);
        var busySeconds = (PostLedger.Now - started) / (double)System.Diagnostics.Stopwatch.Frequency;
        var selfCpu = ServerMemory.SelfCpuSeconds() - self0;
        ledger.Settle(window);
        return StepResult.From(rate, pass, window, sendSeconds, busySeconds, cpu1 - cpu0, db1 - db0, selfCpu, ServerMemory.RssKb(options.Pid), rig.Pool.OpenCount);
    }

    // Conservative: the last rate of the unbroken run of passing steps from the bottom of the ladder, so a lucky
    // step above a failed one does not count.
    private static int? Best(BenchOptions options, List<StepResult> steps, int pass) => steps.Where(s => s.Pass == pass)
        .TakeWhile(s => s.EventP99Ms <= options.TargetP99Ms && s.Lost == 0 && s.Errors == 0).Select(s => (int?)s.Rate).LastOrDefault();

    private static RunSummary Summarize(BenchOptions options, List<StepResult> steps, int?[] best, long throttled)
    {
        var rates = steps.Select(s => s.Rate).Distinct().ToList();
        double? P99(int rate, int pass) => steps.FirstOrDefault(s => s.Rate == rate && s.Pass == pass)?.EventP99Ms;
        StepResult Last(int rate) => steps.Last(s => s.Rate == rate);
        return new RunSummary
        {
            Rates = rates, P99FirstMs = [.. rates.Select(r => P99(r, 1))], P99SecondMs = options.Passes > 1 ? [.. rates.Select(r => P99(r, 2))] : [],
            BestFirst = best[0], BestSecond = best.Length > 1 ? best[1] : null,
            CpuMsPerPost = [.. rates.Select(r => Last(r).ServerCpuMsPerPost)], DbCpuMsPerPost = [.. rates.Select(r => Last(r).DbCpuMsPerPost)],
            Lost = steps.Sum(s => s.Lost), Throttled = throttled,
        };
    }

    /// <summary>CPU of the server, or of both nodes in two-node mode (the backplane's cost shows as their sum).</summary>
    private static double? ServersCpu(BenchOptions options) =>
        options.Pid2 is null ? ServerMemory.CpuSeconds(options.Pid) : ServerMemory.CpuSeconds(options.Pid) + ServerMemory.CpuSeconds(options.Pid2);

    private static string WarmupText(BenchOptions o) =>
        $"{o.InitialWarmupSeconds} s at {o.WarmupRate} POST/s before the first step, then {o.WarmupSeconds} s at each rate before its first pass, none between passes";
}

/// <summary>One measured pass of a ladder step as reported.</summary>
public sealed record StepResult(
    int Rate, int Pass, double AchievedRate, long Posts, long Expected, long Delivered, long Lost, long Duplicates, int Errors, int Throttled, int? LastErrorStatus,
    double EventP50Ms, double EventP99Ms, double EventP999Ms, double EventMaxMs, double PostP50Ms, double PostP99Ms,
    double? ServerCpuPercent, double? ServerCpuMsPerPost, double? DbCpuMsPerPost, double BenchCpuPercent, long? ServerRssKb, int OpenConnections)
{
    public static StepResult From(int rate, int pass, WindowStats w, double sendSeconds, double busySeconds, double? cpuSeconds, double? dbCpuSeconds, double selfCpuSeconds, long? rssKb, int open)
    {
        var e = w.Event.Summary();
        var p = w.Post.Summary();
        return new(rate, pass, Math.Round(w.Posts / Math.Max(sendSeconds, 1e-3), 1), w.Posts, w.Expected, w.Delivered, w.Lost, w.Duplicates,
            (int)(w.Errors + w.Unanswered), w.Throttled, w.LastErrorStatus, e.P50, e.P99, e.P999, e.Max, p.P50, p.P99,
            cpuSeconds is { } c ? Math.Round(100 * c / busySeconds, 1) : null,
            cpuSeconds is { } u && w.Posts > 0 ? Math.Round(1000 * u / w.Posts, 3) : null,
            dbCpuSeconds is { } d && w.Posts > 0 ? Math.Round(1000 * d / w.Posts, 3) : null, Math.Round(100 * selfCpuSeconds / busySeconds, 1), rssKb, open);
    }
}
