using System.Diagnostics;
using System.Globalization;
using System.Net;
using SupportTicket.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static SupportTicket.Server.Tests.Attachments.AttachmentSeed;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>
/// Many slow readers of one large file, against the server as its own process: its resident memory must stay
/// bounded, as a download holds one chunk, not the file. ST_ATTACHMENT_READERS and ST_ATTACHMENT_READ_RATE (bytes
/// per second per reader) scale it up for the README's measurement (200 readers at 200,000 B/s).
/// </summary>
public abstract class AttachmentMemoryTests(Store store, ITestOutputHelper output)
{
    private const int FileBytes = 10 << 20;

    [Fact]
    public async Task Slow_readers_of_a_large_file_keep_the_server_memory_bounded()
    {
        var readers = Setting("ST_ATTACHMENT_READERS", 60);
        var rate = Setting("ST_ATTACHMENT_READ_RATE", 2_000_000);
        using var app = new TestApp(store);
        var ticketId = (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id");
        var link = await StoreAsync(app, ticketId, null, "big.bin", "application/octet-stream", Random(FileBytes));
        using var server = new RunningServer(new()
        {
            ["DATABASE_URL"] = app.DatabaseUrl, ["LOG_LEVEL"] = "Warning",
            ["RateLimits__MaxAttachmentDownloadsPerAddress"] = "0", ["RateLimits__MaxAttachmentDownloads"] = "0",
        });
        await server.WaitUntilLiveAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        Assert.Equal(FileBytes, (await http.GetByteArrayAsync(link)).Length); // warm: JIT, pools, the first chunks
        var before = server.ResidentBytes();

        var peak = before;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.ResidentBytes());
                await Task.Delay(100);
            }
        });
        var clock = Stopwatch.StartNew();
        var read = await Task.WhenAll(Enumerable.Range(0, readers).Select(_ => ReadSlowlyAsync(http, link, rate)));
        await done.CancelAsync();
        await sampler;

        var grew = peak - before;
        output.WriteLine($"{store}: {readers} readers at {rate} B/s of {FileBytes} B in {clock.Elapsed.TotalSeconds:F0} s; " +
                         $"RSS before {before >> 20} MiB, peak {peak >> 20} MiB, grew {grew >> 20} MiB");
        Assert.All(read, n => Assert.Equal(FileBytes, n));
        // #23's bound for 200 readers. A whole file per reader (the old download) is readers × 10 MiB: 60 readers took 838 MiB.
        Assert.True(grew < 100L << 20, $"RSS grew by {grew >> 20} MiB for {readers} readers");
    }

    /// <summary>Reads the whole body at about <paramref name="rate"/> bytes per second, in 16 KiB reads.</summary>
    private static async Task<long> ReadSlowlyAsync(HttpClient http, string link, int rate)
    {
        using var response = await http.GetAsync(link, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 << 10];
        var clock = Stopwatch.StartNew();
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            total += n;
            var due = TimeSpan.FromSeconds((double)total / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due); // the pace of a slow client, not a wait for a condition
        }
        return total;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

public sealed class SqliteAttachmentMemoryTests(ITestOutputHelper output) : AttachmentMemoryTests(Store.Sqlite, output);
public sealed class PostgresAttachmentMemoryTests(ITestOutputHelper output) : AttachmentMemoryTests(Store.Postgres, output);
