using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// The built server as a long-running process on a loopback port, with every stdout line kept: for what must be
/// seen the way an operator sees it (log lines, the scrape endpoint in PRODUCTION).
/// </summary>
public sealed class RunningServer : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly string _workDir = Directory.CreateTempSubdirectory("st-run-").FullName;

    public RunningServer(Dictionary<string, string> environment)
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var name in new[] { "SERVER_MODE", "JWT_SECRET_KEY", "DATABASE_URL", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "REDIS_URL", "LOG_LEVEL" })
            start.Environment.Remove(name);
        start.Environment["WEB_SERVER_PORT"] = port.ToString();
        start.Environment["DATABASE_URL"] = "sqlite:" + Path.Combine(_workDir, "test.db");
        start.Environment["JWT_SECRET_KEY"] = Tokens.Secret;
        foreach (var (k, v) in environment) start.Environment[k] = v;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>Every line the process wrote so far, stdout and stderr.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>The process's resident memory now (Linux: VmRSS of /proc/PID/status).</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

    public async Task WaitUntilLiveAsync()
    {
        using var client = Client();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException("The server exited: " + string.Join('\n', Lines));
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("The server did not become live: " + string.Join('\n', Lines));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
