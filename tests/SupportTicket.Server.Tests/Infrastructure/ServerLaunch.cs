using System.Collections.Concurrent;
using System.Diagnostics;
using SupportTicket.Server.Hosting;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// The one way a test starts the built server as its own process, the way an operator starts it. The server sees
/// only the settings the test names: every variable it would read as a setting (the flat names of
/// <see cref="FlatEnvironment"/>, SERVER_MODE, <c>Section__Key</c> names, ASPNETCORE_* and DOTNET_ENVIRONMENT) is
/// dropped from what the test runner inherited, so a developer's shell or the test script cannot change what a test
/// observes. The rest (PATH, HOME, DOTNET_ROOT) stays, since <c>dotnet</c> needs it.
/// </summary>
internal sealed class ServerLaunch : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServerLaunch(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Starts <c>dotnet SupportTicket.Server.dll</c> with <paramref name="args"/>. WEB_SERVER_PORT is 0 unless the test
    /// names one, so a server that starts where it should have refused takes no port anyone else wants.
    /// </summary>
    public static ServerLaunch Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(IsServerSetting).ToList()) start.Environment.Remove(name);
        start.Environment["WEB_SERVER_PORT"] = "0";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new ServerLaunch(Process.Start(start)!);
    }

    public static bool IsServerSetting(string name) =>
        FlatEnvironment.Map.ContainsKey(name) || name is "SERVER_MODE" or "DOTNET_ENVIRONMENT"
        || name.Contains("__", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal);

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line written so far, stdout and stderr, in the order they arrived.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Stdout => Text(_stdout);

    public string Stderr => Text(_stderr);

    /// <summary>Waits for the process to end on its own (and for its output to be read); kills it after <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitedWithinAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
    }

    /// <summary>SIGKILL, no graceful stop: what a crash or an OOM kill looks like to the server's data.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { } // never started or already gone
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(ConcurrentQueue<string> stream, string? line)
    {
        if (line is null) return;
        stream.Enqueue(line);
        _lines.Enqueue(line);
    }

    private static string Text(ConcurrentQueue<string> lines) => string.Concat(lines.Select(l => l + "\n"));
}
