using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// A server process the bench starts itself (coldstart only): <c>--server-cmd</c> run by <c>/bin/sh -c "exec …"</c>, so
/// the process id is the server's when the command execs it too (run-bench.sh's does). Stopped with SIGTERM, then
/// SIGKILL after 10 s; the bench never leaves it running.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool Exited => _process.HasExited;

    public static ServerProcess Start(string command) =>
        new(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec " + command]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start: " + command));

    /// <summary>Polls /health/ready every 20 ms; the time from <paramref name="since"/> until it answered 200, or null.</summary>
    public async Task<TimeSpan?> WaitReadyAsync(HttpClient http, long since, TimeSpan limit, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready", ct);
                if (response.IsSuccessStatusCode) return Stopwatch.GetElapsedTime(since);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { }
            await Task.Delay(20, ct);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
