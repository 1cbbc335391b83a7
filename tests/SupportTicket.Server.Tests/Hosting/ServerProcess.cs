using System.Diagnostics;

namespace SupportTicket.Server.Tests.Hosting;

/// <summary>Runs the built server as its own process, the way an operator starts it.</summary>
internal static class ServerProcess
{
    /// <summary>The server refuses to start: exit code 1 and one stderr line naming <paramref name="setting"/>.</summary>
    public static async Task AssertRefusesAsync(Dictionary<string, string> environment, string setting)
    {
        var (exitCode, _, stderr) = await RunAsync(environment);
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("SupportTicket cannot start: ", line);
        Assert.Contains(setting, line);
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        Dictionary<string, string> environment, params string[] args)
    {
        var workDir = Directory.CreateTempSubdirectory("st-proc-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in new[] { "SERVER_MODE", "JWT_SECRET_KEY", "DATABASE_URL", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "REDIS_URL" })
            start.Environment.Remove(name);
        start.Environment["WEB_SERVER_PORT"] = "0";
        foreach (var (k, v) in environment) start.Environment[k] = v;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The server did not exit: it started although it should have refused to");
        }
        finally
        {
            try { Directory.Delete(workDir, recursive: true); } catch (IOException) { }
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
