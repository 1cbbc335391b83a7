using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SupportTicket.Bench;

/// <summary>
/// Webhook fan-out (issue #26): one endpoint subscribed to message.created, pointing at a receiver on loopback run by
/// this tool. Phase 1 posts open-loop at --rate for --duration s and reports the POST p99, lost events (answered 201,
/// never received) and the delivery lag (the POST's 201, i.e. its commit, to the receiver's 2xx). Phase 2 answers
/// 503 for --down s while posting goes on at the same rate, then 2xx again, and reports the wait for the first
/// delivery after it came back (retry backoff) and the catch-up rate in events/s. The server must allow a loopback
/// http endpoint: Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true (SERVER_ENV in run-bench.sh).
/// </summary>
public static class WebhookScenario
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var tokens = new Tokens(options.Key);
        using var handler = Transport.Handler(1, 256);
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        var api = new Api(http);
        using var receiver = new WebhookReceiver();
        await receiver.SubscribeAsync(http, tokens, options, ["message.created"], ct);
        var customers = Enumerable.Range(0, options.Tickets).Select(i => tokens.For(BenchUser.Customer(options.Run, i))).ToArray();
        var tickets = new string[options.Tickets];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Tickets), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => tickets[i] = await api.CreateTicketAsync(customers[i], $"bench {options.Run} webhook {i}", token));
        var authors = new TicketAuthors(options, tokens, customers, options.Rate);
        Report.Progress($"webhook: {options.Tickets} tickets, {authors.Describe(options)}; receiver {receiver.Url}");

        var answered = new ConcurrentDictionary<long, long>();
        var post = new Histogram(); // reassigned after the warm-up: PostAsync records into the current one
        long next = 0, failed = 0;
        async Task PostAsync(int seconds)
        {
            var start = Stopwatch.GetTimestamp();
            var count = (long)options.Rate * seconds;
            var sends = new List<Task>();
            for (var i = 0; i < count && !ct.IsCancellationRequested; i++)
            {
                var due = start + i * Stopwatch.Frequency / options.Rate;
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), ct);
                var index = next++;
                sends.Add(Task.Run(async () =>
                {
                    var t0 = Stopwatch.GetTimestamp();
                    int status;
                    try { status = await api.PostMessageAsync(authors.For(index), tickets[index % tickets.Length], Api.Content(index, options.PayloadBytes), ct); }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { status = 0; }
                    var t1 = Stopwatch.GetTimestamp();
                    post.RecordTicks(t1 - t0);
                    if (status == 201) answered[index] = t1;
                    else Interlocked.Increment(ref failed);
                }, ct));
            }
            await Task.WhenAll(sends);
        }

        if (options.WarmupSeconds > 0)
        {
            Report.Progress($"warm-up: {options.Rate} POST/s for {options.WarmupSeconds} s, not counted");
            await PostAsync(options.WarmupSeconds);
            await receiver.WaitForAsync(answered.Keys, TimeSpan.FromSeconds(60), ct);
            answered.Clear();
            post = new Histogram();
            failed = 0;
        }
        Report.Progress($"phase 1: {options.Rate} POST/s for {options.DurationSeconds} s, endpoint up");
        await PostAsync(options.DurationSeconds);
        await receiver.WaitForAsync(answered.Keys, TimeSpan.FromSeconds(60), ct);
        var lag = new Histogram();
        foreach (var (index, at) in answered)
            if (receiver.Received.TryGetValue(index, out var got)) lag.RecordTicks(Math.Max(0, got - at));
        var posts = post.Summary();
        var lags = lag.Summary();
        var lost = answered.Keys.Count(i => !receiver.Received.ContainsKey(i));

        Report.Progress($"phase 2: endpoint answers 503 for {options.DownSeconds} s while posting goes on at {options.Rate} POST/s");
        var before = answered.Count;
        receiver.Down = true;
        await PostAsync(options.DownSeconds);
        var backlog = answered.Count - before;
        var upAt = Stopwatch.GetTimestamp();
        var received0 = receiver.Received.Count;
        receiver.Down = false;
        Report.Progress($"endpoint back; backlog {backlog} events");
        await receiver.WaitForAsync(answered.Keys, TimeSpan.FromMinutes(30), ct);
        var afterUp = receiver.Received.Values.Where(t => t >= upAt).Order().ToList();
        var firstS = afterUp.Count > 0 ? (afterUp[0] - upAt) / (double)Stopwatch.Frequency : double.NaN;
        var drainS = afterUp.Count > 1 ? (afterUp[^1] - afterUp[0]) / (double)Stopwatch.Frequency : double.NaN;
        var caughtUp = receiver.Received.Count - received0;
        var lostTotal = answered.Keys.Count(i => !receiver.Received.ContainsKey(i));

        Report.Table($"webhook ({options.Label}): one endpoint (message.created) on loopback, {options.Rate} POST/s, {options.Tickets} tickets, latency ms",
            ["phase", "posts_201", "post_failed", "post_p50", "post_p99", "delivered", "lost", "duplicates", "lag_p50", "lag_p99", "lag_max"],
            [["fan-out", before, failed, posts.P50, posts.P99, before - lost, lost, receiver.Duplicates, lags.P50, lags.P99, lags.Max]]);
        Report.Table($"endpoint down {options.DownSeconds} s, then back",
            ["backlog", "delivered_after_up", "first_delivery_s", "drain_s", "catch_up_events_per_s", "lost_total", "duplicates_total"],
            [[backlog, caughtUp, Math.Round(firstS, 1), Math.Round(drainS, 1), drainS > 0 ? Math.Round(caughtUp / drainS) : null, lostTotal, receiver.Duplicates]]);
        Report.JsonLine(options, new { rate = options.Rate, seconds = options.DurationSeconds, down_seconds = options.DownSeconds, posts_201 = before, post_failed = failed,
            post_p99_ms = posts.P99, lost, duplicates = receiver.Duplicates, lag_p50_ms = lags.P50, lag_p99_ms = lags.P99, lag_max_ms = lags.Max,
            backlog, first_delivery_s = firstS, drain_s = drainS, catch_up_events_per_s = drainS > 0 ? caughtUp / drainS : (double?)null, lost_total = lostTotal },
            new RunSummary { Rates = [options.Rate], Lost = lostTotal, WebhookEvents = receiver.Events });
        return lostTotal == 0 && failed == 0 ? 0 : 2;
    }
}
