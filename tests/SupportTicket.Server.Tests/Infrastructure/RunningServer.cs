using System.Globalization;
using SupportTicket.Testing;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// The built server as a long-running process on a loopback port (started by <see cref="ServerLaunch"/>), with every
/// output line kept: for what must be seen the way an operator sees it (log lines, the scrape endpoint in PRODUCTION,
/// a kill without a graceful stop). It defaults to a SQLite file of its own and the test signing key; the test's
/// environment wins, including WEB_SERVER_PORT and DATABASE_URL for a restart on the same address and data.
/// </summary>
public sealed class RunningServer : IDisposable
{
    private readonly ServerLaunch _server;
    private readonly string _workDir = Directory.CreateTempSubdirectory("st-run-").FullName;

    public RunningServer(Dictionary<string, string> environment)
    {
        var port = environment.TryGetValue("WEB_SERVER_PORT", out var named)
            ? int.Parse(named, CultureInfo.InvariantCulture)
            : FreeTcpPort.Pick();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var settings = new Dictionary<string, string>
        {
            ["WEB_SERVER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["DATABASE_URL"] = "sqlite:" + Path.Combine(_workDir, "test.db"),
            ["JWT_SECRET_KEY"] = Tokens.Secret,
        };
        foreach (var (k, v) in environment) settings[k] = v;
        _server = ServerLaunch.Start(settings, _workDir);
    }

    public Uri BaseAddress { get; }

    /// <summary>Every line the process wrote so far, stdout and stderr.</summary>
    public IReadOnlyList<string> Lines => _server.Lines;

    /// <summary>The process's resident memory now (Linux: VmRSS of /proc/PID/status).</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_server.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

    public Task WaitUntilLiveAsync() => WaitUntilAsync("/health/live", "live");

    /// <summary>Ready as well as live: storage reachable, background work (the Discord bot) started.</summary>
    public Task WaitUntilReadyAsync() => WaitUntilAsync("/health/ready", "ready");

    /// <summary>SIGKILL, no graceful stop. The server's data stays for a new <see cref="RunningServer"/> on it.</summary>
    public void Kill() => _server.Kill();

    private async Task WaitUntilAsync(string path, string what)
    {
        using var client = Client();
        var up = await Eventually.Until(async () =>
        {
            if (_server.HasExited) throw new InvalidOperationException($"The server exited ({_server.ExitCode}): " + string.Join('\n', Lines));
            try { return (await client.GetAsync(path)).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        if (!up) throw new TimeoutException($"The server did not become {what}: " + string.Join('\n', Lines));
    }

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
