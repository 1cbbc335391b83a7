using System.Diagnostics;
using System.Globalization;

namespace SupportTicket.Bench;

/// <summary>
/// The load generator's own scheduling delay: every 5 ms a dedicated thread queues a work item to the thread pool
/// and records how long it waited to run. The generator runs on one core as well; when its pool is backed up, the
/// POST answers and events it receives are timed late, and that lateness is the generator's, not the server's.
/// </summary>
public sealed class GeneratorProbe : IDisposable
{
    private readonly List<(long QueuedAt, long Waited)> _samples = [];
    private readonly Thread _thread;
    private volatile bool _stop;

    public GeneratorProbe()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "generator probe" };
        _thread.Start();
    }

    private void Run()
    {
        while (!_stop)
        {
            var queued = Stopwatch.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                var waited = Stopwatch.GetTimestamp() - queued;
                lock (_samples) _samples.Add((queued, waited));
            }, null);
            Thread.Sleep(5);
        }
    }

    /// <summary>One line per sample: when it was queued (ms after <paramref name="t0"/>) and how long it waited (ms).</summary>
    public void Write(string path, long t0)
    {
        static string Ms(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.###", CultureInfo.InvariantCulture);
        using var w = new StreamWriter(path);
        w.WriteLine("queued_ms,waited_ms");
        lock (_samples)
            foreach (var (queuedAt, waited) in _samples) w.WriteLine($"{Ms(queuedAt - t0)},{Ms(waited)}");
    }

    /// <summary>The longest wait of a sample queued at or after <paramref name="since"/> (Stopwatch ticks), in ms.</summary>
    public double MaxWaitMs(long since)
    {
        lock (_samples) return _samples.Where(s => s.QueuedAt >= since).Select(s => s.Waited * 1000.0 / Stopwatch.Frequency).DefaultIfEmpty(0).Max();
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
