namespace SupportTicket.Bench;

/// <summary>
/// A log-linear latency histogram in microseconds (HdrHistogram's idea, ≤ 1.6% error): values below 2^SubBits µs are
/// exact, above that each power of two is split into 2^(SubBits-1) equal buckets. Recording is one Interlocked add, so
/// many receive loops can record into one instance without locks and without allocating.
/// </summary>
public sealed class Histogram
{
    private const int SubBits = 7;
    private const int SubCount = 1 << SubBits;
    private const int MaxExponent = 40;            // ~12 days in microseconds: anything larger is clamped
    private readonly long[] _counts = new long[(MaxExponent + 1) * SubCount];
    private long _total;
    private long _max;

    public long Count => Interlocked.Read(ref _total);
    public long MaxMicros => Interlocked.Read(ref _max);

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _total);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, seen) != seen) { }
    }

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>The value at or below which <paramref name="percentile"/> % of recordings fall (bucket upper edge).</summary>
    public long ValueAt(double percentile)
    {
        var total = Count;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(percentile / 100.0 * total);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return Math.Min(UpperEdge(i), MaxMicros);
        }
        return MaxMicros;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        _total += other._total;
        _max = Math.Max(_max, other._max);
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _max, 0);
    }

    public LatencySummary Summary() => new(Count, Ms(ValueAt(50)), Ms(ValueAt(90)), Ms(ValueAt(99)), Ms(ValueAt(99.9)), Ms(MaxMicros));

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 2);

    private static int Index(long value)
    {
        if (value < SubCount) return (int)value;
        var exponent = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value) - SubBits + 1; // >= 1
        if (exponent > MaxExponent) return _lastIndex;
        var sub = (int)(value >> exponent); // in [SubCount/2, SubCount): indices below SubCount/2 of a row stay unused
        return exponent * SubCount + sub;
    }

    private static readonly int _lastIndex = (MaxExponent + 1) * SubCount - 1;

    private static long UpperEdge(int index)
    {
        var exponent = index / SubCount;
        var sub = index % SubCount;
        return exponent == 0 ? sub : ((long)(sub + 1) << exponent) - 1;
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max);
