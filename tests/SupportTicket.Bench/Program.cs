using SupportTicket.Bench;

// A load generator that starts nothing itself: it points at a running server (see docs/performance.md and
// tests/bench/run-bench.sh, which pins server and database to core 0 and this tool to core 1).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 64;
}

Steal.Begin();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
// A hard ceiling on any run, so a wedged server never leaves a load generator running forever.
cancel.CancelAfter(TimeSpan.FromHours(25));

// The receive loops and the open-loop sender share one core: more pool threads up front avoid ramp-up stalls.
ThreadPool.SetMinThreads(16, 16);

try
{
    return options.Scenario switch
    {
        "idle" => await IdleScenario.RunAsync(options, cancel.Token),
        "fanout" => await FanoutScenario.RunAsync(options, cancel.Token),
        "rest" => await RestScenario.RunAsync(options, cancel.Token),
        "soak" => await SoakScenario.RunAsync(options, cancel.Token),
        "coldstart" => await ColdstartScenario.RunAsync(options, cancel.Token),
        "webhook" => await WebhookScenario.RunAsync(options, cancel.Token),
        _ => Usage($"unknown scenario '{options.Scenario}'"),
    };
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"error: {problem}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 64;
}
