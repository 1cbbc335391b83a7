using System.Diagnostics;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>An npm project under tests/SupportTicket.Server.Tests (node/, openapi/): found from the test binaries, installed with npm ci on first use.</summary>
public static class NpmFolder
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SupportTicket.sln")))
                return Path.Combine(dir.FullName, "tests", "SupportTicket.Server.Tests", name);
        throw new InvalidOperationException("SupportTicket.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs npm ci in <paramref name="directory"/> unless <paramref name="probe"/> (relative to it) exists already.</summary>
    public static async Task EnsureInstalledAsync(string directory, string probe)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Path.Exists(Path.Combine(directory, probe))) return;
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("npm could not be started");
            var output = npm.StandardError.ReadToEndAsync();
            _ = npm.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(cts.Token);
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci failed in {directory}: {await output}");
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
