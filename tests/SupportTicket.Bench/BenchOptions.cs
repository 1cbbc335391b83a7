using System.Globalization;

namespace SupportTicket.Bench;

/// <summary>Every option of every scenario, with defaults that match the targets in docs/performance.md.</summary>
public sealed record BenchOptions
{
    public required string Scenario { get; init; }
    public Uri Url { get; init; } = new("http://127.0.0.1:5080");
    public string Key { get; init; } = "";
    public int? Pid { get; init; }

    /// <summary>Two-node mode: where the hub connections go (node 2, or the balancer); null = <see cref="Url"/>.</summary>
    public Uri? HubUrl { get; init; }

    /// <summary>Two-node mode: the second node's process, whose CPU is added to the server's.</summary>
    public int? Pid2 { get; init; }
    public int? DbPid { get; init; }
    public string Label { get; init; } = "";

    /// <summary>For the SUMMARY line only: the store and the commit measured (run-bench.sh passes them).</summary>
    public string Store { get; init; } = "";
    public string Commit { get; init; } = "";

    /// <summary>
    /// fanout, the "features" load (issue #30, target 5): a webhook endpoint on this tool's loopback receiver,
    /// subscribed to every event type; <see cref="SmtpPort"/>: this tool's SMTP sink; <see cref="Seeded"/>: how many
    /// open tickets the database was seeded with (reported only).
    /// </summary>
    public bool Features { get; init; }
    public int? SmtpPort { get; init; }
    public int? Seeded { get; init; }
    public string Run { get; init; } = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999);

    /// <summary>
    /// The server's rate limits are on (production): posts are spread over enough distinct users that none exceeds
    /// <see cref="UserBudgetPerMinute"/>, and any 429 fails the run. Off: one author per ticket or worker (the old runs).
    /// </summary>
    public bool Limits { get; init; } = true;

    /// <summary>The server's per-user PostMessage limit per minute (its default: 15).</summary>
    public int UserLimitPerMinute { get; init; } = 15;

    /// <summary>What the bench lets one user post per minute: 80 % of the limit, so bursts never reach it.</summary>
    public int UserBudgetPerMinute => Math.Max(1, UserLimitPerMinute * 4 / 5);

    // idle / soak
    public int Connections { get; init; } = 1000;
    public int ConnectConcurrency { get; init; } = 64;
    public int HoldSeconds { get; init; } = 20;
    public int SourceAddresses { get; init; } = 1;

    // fanout / soak
    public int Tickets { get; init; } = 250;
    public int Agents { get; init; } = 3;
    public int[] Rates { get; init; } = [250, 500, 1000, 1500, 2000, 3000];
    public int StepSeconds { get; init; } = 10;
    /// <summary>Before each measurement (rest, soak: 3 s); fanout: before each rate's first pass, 0 unless asked for.</summary>
    public int WarmupSeconds { get; init; } = 3;

    /// <summary>Measured passes at each rate, back to back: the first shows what a step up costs, the second the steady state.</summary>
    public int Passes { get; init; } = 2;
    public int InitialWarmupSeconds { get; init; } = 30;
    public int WarmupRate { get; init; } = 500;
    public int PayloadBytes { get; init; } = 100;
    public double TargetP99Ms { get; init; } = 50;
    public double StopP99Ms { get; init; } = 2000;

    // rest
    public int Concurrency { get; init; } = 64;
    public int DurationSeconds { get; init; } = 15;
    public int Authors { get; init; } = 32_000;

    // coldstart
    public string ServerCommand { get; init; } = "";
    public int ColdSeconds { get; init; } = 30;

    // soak
    public int Minutes { get; init; } = 5;
    public int Rate { get; init; } = 500;
    public int ReportSeconds { get; init; } = 30;

    // webhook: how long the endpoint answers 503 in the second phase
    public int DownSeconds { get; init; } = 300;

    /// <summary>soak: per-post timeline CSV (and the load generator's own thread-pool delay beside it); null: none.</summary>
    public string? TracePath { get; init; }

    public const string Usage = """
        usage: SupportTicket.Bench <idle|fanout|rest|soak|coldstart|webhook> --url http://127.0.0.1:PORT --key SIGNING_KEY [--pid SERVER_PID] [options]
          common:  --db-pid PID (the database's main process: its CPU and its children's is reported too)  --label TEXT   --run ID (user-id prefix; default: time+random)
                   --limits on|off (on: the server's rate limits are on; posts come from enough distinct users to stay under
                   --user-limit N (15 posts/min, the server's default) and any 429 fails the run; off: one author per ticket/worker)
          idle:    --connections N (1000)  --connect-concurrency N (64)  --hold SEC (20)  --source-addresses N (1: 127.0.0.1..250, 127.0.1.1..)
          fanout:  --tickets T (250)  --agents A (3)  --rates 250,500,… --step SEC (10)  --passes N (2: each rate measured N times
                   back to back)  --warmup SEC (0: unmeasured load at each rate before its first pass)  --payload BYTES (100)
                   --initial-warmup SEC (30, before the first step)  --warmup-rate POST/s (500)
                   --hub-url URL (two nodes: hubs on node 2 or the balancer, posts to --url)  --pid2 PID (node 2: CPU added)
                   --target-p99 MS (50)  --stop-p99 MS (2000: the ladder stops above this)
                   --features on|off (off; on: a webhook endpoint on a loopback receiver this tool runs, every event type;
                   the server needs Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true)  --smtp-port P (an SMTP
                   sink on 127.0.0.1:P that counts mails)  --seeded N (open tickets seeded beforehand; reported only)
          rest:    --concurrency C (64)  --duration SEC (15)  --warmup SEC (3)  --payload BYTES (100)  --authors N (32000 post-message authors)
          coldstart: --server-cmd "CMD" (starts the server in the foreground; run twice: once to create the tickets, then
                   under load)  --rate POST/s (500)  --seconds S (30)  --tickets T  --agents A
          soak:    --minutes M (5)  --rate POST/s (500)  --tickets T  --connections N extra idle (1000)  --report SEC (30)
                   --trace FILE (per post: due, sent, answered, first and last event; FILE.generator: the load
                   generator's own thread-pool delay every 5 ms, to tell its stalls from the server's)
          webhook: --rate POST/s (500; the issue's target is 1000)  --duration SEC (endpoint up)  --down SEC (300: endpoint answering 503)  --tickets T  --warmup SEC (0: posts at --rate first, not counted)
                   (the server needs Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true for the loopback receiver)
        The key may also come from JWT_SECRET_KEY. Only 127.0.0.0/8 URLs are accepted.
        """;

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new ArgumentException("scenario missing");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --option value at '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        int Int(string name, int fallback) => values.Remove(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Dbl(string name, double fallback) => values.Remove(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string Str(string name, string fallback) => values.Remove(name, out var v) ? v : fallback;

        var d = new BenchOptions { Scenario = args[0] };
        var options = d with
        {
            Url = new Uri(Str("url", d.Url.ToString())),
            Limits = Str("limits", "on") switch { "on" => true, "off" => false, var v => throw new ArgumentException($"--limits must be on or off, not '{v}'") },
            UserLimitPerMinute = Int("user-limit", d.UserLimitPerMinute),
            InitialWarmupSeconds = Int("initial-warmup", d.InitialWarmupSeconds),
            WarmupRate = Int("warmup-rate", d.WarmupRate),
            Authors = Int("authors", d.Authors),
            ServerCommand = Str("server-cmd", d.ServerCommand),
            ColdSeconds = Int("seconds", d.ColdSeconds),
            Key = Str("key", Environment.GetEnvironmentVariable("JWT_SECRET_KEY") ?? ""),
            Pid = values.Remove("pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            HubUrl = values.Remove("hub-url", out var hubUrl) ? new Uri(hubUrl) : null,
            Pid2 = values.Remove("pid2", out var pid2) ? int.Parse(pid2, CultureInfo.InvariantCulture) : null,
            DbPid = values.Remove("db-pid", out var dbPid) ? int.Parse(dbPid, CultureInfo.InvariantCulture) : null,
            Label = Str("label", d.Label),
            Store = Str("store", d.Store),
            Commit = Str("commit", d.Commit),
            Features = Str("features", "off") switch { "on" => true, "off" => false, var v => throw new ArgumentException($"--features must be on or off, not '{v}'") },
            SmtpPort = values.Remove("smtp-port", out var smtp) ? int.Parse(smtp, CultureInfo.InvariantCulture) : null,
            Seeded = values.Remove("seeded", out var seeded) ? int.Parse(seeded, CultureInfo.InvariantCulture) : null,
            Passes = Int("passes", d.Passes),
            Run = Str("run", d.Run),
            Connections = Int("connections", d.Connections),
            ConnectConcurrency = Int("connect-concurrency", d.ConnectConcurrency),
            HoldSeconds = Int("hold", d.HoldSeconds),
            SourceAddresses = Int("source-addresses", d.SourceAddresses),
            Tickets = Int("tickets", d.Tickets),
            Agents = Int("agents", d.Agents),
            Rates = values.Remove("rates", out var rates) ? rates.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : d.Rates,
            StepSeconds = Int("step", d.StepSeconds),
            WarmupSeconds = Int("warmup", args[0] == "fanout" ? 0 : d.WarmupSeconds),
            PayloadBytes = Int("payload", d.PayloadBytes),
            TargetP99Ms = Dbl("target-p99", d.TargetP99Ms),
            StopP99Ms = Dbl("stop-p99", d.StopP99Ms),
            Concurrency = Int("concurrency", d.Concurrency),
            DurationSeconds = Int("duration", d.DurationSeconds),
            Minutes = Int("minutes", d.Minutes),
            Rate = Int("rate", d.Rate),
            ReportSeconds = Int("report", d.ReportSeconds),
            DownSeconds = Int("down", d.DownSeconds),
            TracePath = values.Remove("trace", out var trace) ? trace : null,
        };
        if (values.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}");
        options.Validate();
        return options;
    }

    private void Validate()
    {
        // Load goes to this machine only: the tool must never be pointed at someone else's server.
        foreach (var url in new[] { Url, HubUrl ?? Url })
            if (!System.Net.IPAddress.TryParse(url.Host, out var ip) || ip.GetAddressBytes() is not [127, ..])
                throw new ArgumentException("--url and --hub-url must be http://127.x.x.x addresses");
        if (Key.Length < 32) throw new ArgumentException("--key (or JWT_SECRET_KEY) must be the server's signing key, at least 32 bytes");
        if (Connections is < 0 or > 60_000) throw new ArgumentException("--connections must be 0..60000");
        if (SourceAddresses is < 1 or > 60_000) throw new ArgumentException("--source-addresses must be 1..60000");
        if (Tickets < 1 || Agents < 0 || Concurrency < 1 || PayloadBytes is < 16 or > 4000) throw new ArgumentException("bad --tickets/--agents/--concurrency/--payload");
        if (Rates.Length == 0 || Rates.Any(r => r is < 1 or > 100_000) || Rate is < 1 or > 100_000) throw new ArgumentException("rates must be 1..100000");
        if (UserLimitPerMinute < 1 || Authors < 1 || WarmupRate < 1 || InitialWarmupSeconds < 0 || ColdSeconds is < 1 or > 3600)
            throw new ArgumentException("bad --user-limit/--authors/--warmup-rate/--initial-warmup/--seconds");
        if (TracePath is not null && Scenario != "soak") throw new ArgumentException("--trace is an option of soak only");
        if (Passes is < 1 or > 10 || WarmupSeconds < 0) throw new ArgumentException("--passes must be 1..10, --warmup 0 or more");
        if ((Features || SmtpPort is not null) && Scenario != "fanout") throw new ArgumentException("--features and --smtp-port are options of fanout only");
        if (SmtpPort is < 1 or > 65535) throw new ArgumentException("--smtp-port must be a port number");
        if (StepSeconds is < 1 or > 3600 || DurationSeconds is < 1 or > 3600 || Minutes is < 1 or > 1440 || HoldSeconds is < 0 or > 86_400)
            throw new ArgumentException("durations out of range");
    }
}
