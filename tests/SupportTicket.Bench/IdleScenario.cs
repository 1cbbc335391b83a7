using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// Holds N authorized connections and reports what each costs the server in resident memory, and how fast they
/// connect. The first 2 % (at least 50) warm the server up (JIT, pools) and are left out of the per-connection
/// figure, which is (RSS after settling − RSS after warm-up) / connections opened after warm-up.
/// </summary>
public static class IdleScenario
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var tokens = new Tokens(options.Key);
        using var invoker = new HttpMessageInvoker(Transport.Handler(options.SourceAddresses, int.MaxValue));
        await using var pool = new ConnectionPool(options, tokens, invoker);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var keepAlive = pool.KeepAliveAsync(stop.Token);

        var users = Enumerable.Range(0, options.Connections).Select(i => (BenchUser.Customer(options.Run, i), i)).ToList();
        var warm = Math.Min(users.Count, Math.Max(50, users.Count / 50));
        await pool.OpenAsync(users[..warm], 2048, null, null, ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var rssStart = ServerMemory.RssKb(options.Pid);
        Report.Progress($"warm-up: {pool.Connections.Count} connections, server RSS {rssStart} KiB; opening {users.Count - warm} more");

        var elapsed = await pool.OpenAsync(users[warm..], 2048, null, null, ct);
        var opened = pool.Connections.Count - warm;
        Report.Progress($"opened {opened} in {elapsed.TotalSeconds:0.0} s ({pool.Failures} failed{(pool.LastFailure is null ? "" : ": " + pool.LastFailure)}); holding {options.HoldSeconds} s");

        // Hold: sample RSS every 5 s; the figure is the last sample, after the server has had time to settle.
        var samples = new List<long>();
        var hold = Stopwatch.StartNew();
        while (hold.Elapsed.TotalSeconds < Math.Max(5, options.HoldSeconds))
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            if (ServerMemory.RssKb(options.Pid) is { } rss) samples.Add(rss);
        }
        var rssEnd = samples.Count > 0 ? samples[^1] : (long?)null;
        var stillOpen = pool.OpenCount;
        var perConnection = rssStart is { } a && rssEnd is { } b && opened > 0 ? Math.Round((b - a) / (double)opened, 2) : (double?)null;
        stop.Cancel();
        await keepAlive;

        var result = new
        {
            connections_requested = options.Connections,
            warmup_connections = warm,
            opened_after_warmup = opened,
            failed = pool.Failures,
            last_failure = pool.LastFailure,
            still_open_after_hold = stillOpen,
            connect_seconds = Math.Round(elapsed.TotalSeconds, 2),
            connects_per_second = Math.Round(opened / Math.Max(elapsed.TotalSeconds, 1e-3), 1),
            server_rss_kb_start = rssStart,
            server_rss_kb_end = rssEnd,
            server_rss_kb_max = samples.Count > 0 ? samples.Max() : (long?)null,
            server_kb_per_connection = perConnection,
            hold_seconds = options.HoldSeconds,
        };
        Report.Table($"idle ({options.Label})",
            ["connections", "failed", "open_at_end", "connect/s", "rss_start_MiB", "rss_end_MiB", "KiB/conn"],
            [[pool.Connections.Count, pool.Failures, stillOpen, result.connects_per_second, rssStart / 1024.0, rssEnd / 1024.0, perConnection]]);
        Report.JsonLine(options, result, new RunSummary { IdleKbPerConnection = perConnection });
        Report.Progress("closing connections");
        return pool.Failures == 0 && stillOpen == pool.Connections.Count ? 0 : 2;
    }
}
