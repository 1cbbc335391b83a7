using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Testing;

namespace SupportTicket.Server.Tests.RateLimiting;

/// <summary>The seed's default limits, switched on.</summary>
public sealed class SeedLimitsApp() : TestApp(Store.Sqlite, RateLimitSettings.Limits());

/// <summary>
/// Short windows and role overrides: ListTickets 2 per 2 s; GetTicket 2 per minute, guests 1, agents 4.
/// </summary>
public sealed class TunedLimitsApp() : TestApp(Store.Sqlite, RateLimitSettings.Limits(new()
{
    ["RateLimits:Policies:ListTickets:PermitLimit"] = "2",
    ["RateLimits:Policies:ListTickets:WindowSeconds"] = "2",
    ["RateLimits:Policies:GetTicket:PermitLimit"] = "2",
    ["RateLimits:Policies:GetTicket:Roles:TEMP_USER"] = "1",
    ["RateLimits:Policies:GetTicket:Roles:AGENT"] = "4",
}));

internal static class RateLimitSettings
{
    public static Dictionary<string, string?> Limits(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:Enabled"] = "true" };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return settings;
    }
}

/// <summary>A redis-server of this test's own, so stopping it affects no one else.</summary>
public sealed class OwnRedis : IDisposable
{
    private Process? _process;

    public OwnRedis()
    {
        Port = FreeTcpPort.Pick();
        Start();
    }

    public int Port { get; }
    public string Url => $"127.0.0.1:{Port}";

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new InvalidOperationException($"redis-server did not start on port {Port}");
    }

    public void Stop()
    {
        if (_process is null) return;
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
