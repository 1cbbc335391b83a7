using System.Net;
using System.Net.Sockets;

namespace SupportTicket.Bench;

/// <summary>
/// The HTTP/WebSocket plumbing shared by all scenarios. One loopback source address offers ~28,000 ephemeral ports
/// (net.ipv4.ip_local_port_range) towards one server port, so past that the connections are spread over
/// 127.0.0.1 … 127.0.0.250, 127.0.1.1 … (N addresses) by binding the local end in ConnectCallback.
/// </summary>
public static class Transport
{
    public static SocketsHttpHandler Handler(int sourceAddresses, int maxConnections)
    {
        var next = -1;
        return new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (sourceAddresses > 1)
                    {
                        var n = (int)((uint)Interlocked.Increment(ref next) % (uint)sourceAddresses);
                        socket.Bind(new IPEndPoint(new IPAddress([127, 0, (byte)(n / 250), (byte)(1 + n % 250)]), 0));
                    }
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    public static Uri HubUri(Uri server) => new UriBuilder(server) { Scheme = "ws", Path = "/hubs/tickets" }.Uri;
}

/// <summary>The server's resident memory, read from /proc so no agent runs inside the server.</summary>
public static class ServerMemory
{
    /// <summary>VmRSS in KiB, or null without --pid or when the process is gone.</summary>
    public static long? RssKb(int? pid)
    {
        if (pid is null) return null;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return null;
    }

    /// <summary>CPU seconds (user+system) the process has used, from /proc/PID/stat, for CPU-per-request figures.</summary>
    public static double? CpuSeconds(int? pid) =>
        pid is null || Stat(pid.Value) is not { } f ? null : (Field(f, 11) + Field(f, 12)) / 100.0; // USER_HZ is 100 on Linux

    /// <summary>
    /// CPU seconds of a process and all its children (the database: PostgreSQL's postmaster and its backends): the
    /// live children's user+system time plus the parent's own and that of the children it has already reaped.
    /// </summary>
    public static double? TreeCpuSeconds(int? pid)
    {
        if (pid is null || Stat(pid.Value) is not { } parent) return null;
        var ticks = Field(parent, 11) + Field(parent, 12) + Field(parent, 13) + Field(parent, 14);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var child) && child != pid && Stat(child) is { } f && Field(f, 1) == pid)
                ticks += Field(f, 11) + Field(f, 12);
        return ticks / 100.0;
    }

    /// <summary>The fields of /proc/PID/stat after the command name (field 3, state, is index 0), or null when gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
    }

    private static long Field(string[] fields, int index) => long.Parse(fields[index], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>This process's own CPU seconds: shows whether the load generator, not the server, was the limit.</summary>
    public static double SelfCpuSeconds()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
