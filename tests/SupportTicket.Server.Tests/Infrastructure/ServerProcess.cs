namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>The built server run to completion (a refused start, the token command) through <see cref="ServerLaunch"/>.</summary>
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
        try
        {
            using var server = ServerLaunch.Start(environment, workDir, args);
            if (!await server.ExitedWithinAsync(TimeSpan.FromSeconds(60)))
                throw new TimeoutException("The server did not exit: it started although it should have refused to");
            return (server.ExitCode, server.Stdout, server.Stderr);
        }
        finally
        {
            try { Directory.Delete(workDir, recursive: true); } catch (IOException) { }
        }
    }
}
