using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// One slot per scheduled POST: when it was due, how many recipients should get its event and how many did, and
/// which measurement window it belongs to (-1: warm-up). Latencies run from the scheduled time, not the send time,
/// so a stalled server cannot hide its stall by slowing the sender (coordinated omission).
/// </summary>
public sealed class PostLedger(int capacity)
{
    private readonly long[] _due = new long[capacity];
    private readonly int[] _expected = new int[capacity];
    private readonly int[] _delivered = new int[capacity];
    private readonly short[] _window = new short[capacity];
    private readonly bool[] _answered = new bool[capacity];
    private readonly List<WindowStats> _windows = [];
    private int _count;
    private Timeline? _timeline;

    /// <summary>Also keep each post's send, answer, first and last event time (<see cref="WriteTimeline"/>).</summary>
    public void KeepTimeline() => _timeline ??= new Timeline(capacity);

    public int Count => Volatile.Read(ref _count);
    public int Capacity => capacity;

    public WindowStats NewWindow(string name)
    {
        var window = new WindowStats(name, (short)_windows.Count);
        _windows.Add(window);
        return window;
    }

    /// <summary>Reserves the next slot; null once the ledger is full, which ends the run (every loop is bounded).</summary>
    public int? Schedule(long dueTicks, WindowStats? window)
    {
        if (_count >= capacity) return null;
        var index = _count;
        _due[index] = dueTicks;
        _window[index] = window?.Id ?? -1;
        Volatile.Write(ref _count, index + 1);
        return index;
    }

    public long DueTicks(int index) => _due[index];

    /// <summary>The POST left the load generator (after its scheduled time when the sender is late).</summary>
    public void Sent(int index, long nowTicks)
    {
        if (_timeline is { } t) t.Sent[index] = nowTicks;
    }

    /// <summary>After the POST answered: how many event deliveries it owes (0 when it failed).</summary>
    public void Answered(int index, int status, int recipients, long nowTicks)
    {
        var window = WindowOf(index);
        Volatile.Write(ref _answered[index], true);
        if (_timeline is { } t) t.Answered[index] = nowTicks;
        if (status == 201) Interlocked.Add(ref _expected[index], recipients);
        if (window is null) return;
        window.Post.RecordTicks(nowTicks - _due[index]);
        if (status == 201) window.PostOk.RecordTicks(nowTicks - _due[index]);
        else window.CountError(status);
    }

    /// <summary>Called from receive loops for each <c>message</c> event that carries a bench index.</summary>
    public void Delivered(long index, long nowTicks)
    {
        if (index < 0 || index >= Count) return;
        if (_timeline is { } t) t.Delivered((int)index, nowTicks);
        Interlocked.Increment(ref _delivered[index]);
        WindowOf((int)index)?.Event.RecordTicks(nowTicks - _due[index]);
    }

    /// <summary>Deliveries still owed across the whole ledger (used to wait for a drain).</summary>
    public long Outstanding()
    {
        long owed = 0;
        for (var i = 0; i < Count; i++) owed += Math.Max(0, Volatile.Read(ref _expected[i]) - Volatile.Read(ref _delivered[i]));
        return owed;
    }

    /// <summary>Fills the window's expected/delivered/duplicate totals from the slots.</summary>
    public void Settle(WindowStats window)
    {
        long expected = 0, delivered = 0, lost = 0, extra = 0, posts = 0, unanswered = 0;
        for (var i = 0; i < Count; i++)
        {
            if (_window[i] != window.Id) continue;
            posts++;
            if (!Volatile.Read(ref _answered[i])) unanswered++;
            expected += _expected[i];
            delivered += Math.Min(_delivered[i], _expected[i]);
            lost += Math.Max(0, _expected[i] - _delivered[i]);
            extra += Math.Max(0, _delivered[i] - _expected[i]);
        }
        window.Settled(posts, expected, delivered, lost, extra, unanswered);
    }

    private WindowStats? WindowOf(int index) => _window[index] is >= 0 and var w ? _windows[w] : null;

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>
    /// One line per post since the first: its measurement window (-1: warm-up), then due, sent, answered, first and
    /// last event in ms after the first post's due time (-1: never). The header line carries that time on the
    /// monotonic clock (Stopwatch ticks, ns on Linux), so other recordings of the same run can be lined up with it.
    /// </summary>
    public void WriteTimeline(string path)
    {
        var t = _timeline ?? throw new InvalidOperationException("KeepTimeline was not called");
        var t0 = _due[0];
        string Ms(long ticks) => ticks == 0 ? "-1" : ((ticks - t0) * 1000.0 / Stopwatch.Frequency).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        using var w = new StreamWriter(path);
        w.WriteLine($"# t0 = {t0} Stopwatch ticks ({Stopwatch.Frequency}/s)");
        w.WriteLine("post,window,due_ms,sent_ms,answered_ms,first_event_ms,last_event_ms");
        for (var i = 0; i < Count; i++)
            w.WriteLine($"{i},{_window[i]},{Ms(_due[i])},{Ms(t.Sent[i])},{Ms(t.Answered[i])},{Ms(t.First[i])},{Ms(t.Last[i])}");
    }

    private sealed class Timeline(int capacity)
    {
        public readonly long[] Sent = new long[capacity], Answered = new long[capacity], First = new long[capacity], Last = new long[capacity];

        public void Delivered(int index, long now)
        {
            Interlocked.CompareExchange(ref First[index], now, 0);
            long last;
            while (now > (last = Volatile.Read(ref Last[index])) && Interlocked.CompareExchange(ref Last[index], now, last) != last) { }
        }
    }
}

/// <summary>What one measured window (a ladder step, or a soak interval) saw.</summary>
public sealed class WindowStats(string name, short id)
{
    private int _errors;
    private int _throttled;
    public string Name => name;
    public short Id => id;
    public Histogram Post { get; } = new();

    /// <summary>POSTs answered 201 only (coldstart: refused connections before the server listens are not latency).</summary>
    public Histogram PostOk { get; } = new();
    public Histogram Event { get; } = new();
    public int Errors => _errors;

    /// <summary>429 answers (also counted in <see cref="Errors"/>): with the limits on, the bench's authors must never see one.</summary>
    public int Throttled => _throttled;
    public int? LastErrorStatus { get; private set; }
    public long Posts { get; private set; }
    public long Expected { get; private set; }
    public long Delivered { get; private set; }
    public long Lost { get; private set; }
    public long Duplicates { get; private set; }

    /// <summary>POSTs with no answer yet when the window was settled (still in flight after the drain limit).</summary>
    public long Unanswered { get; private set; }

    public void CountError(int status)
    {
        Interlocked.Increment(ref _errors);
        if (status == 429) Interlocked.Increment(ref _throttled);
        LastErrorStatus = status;
    }

    public void Settled(long posts, long expected, long delivered, long lost, long extra, long unanswered) =>
        (Posts, Expected, Delivered, Lost, Duplicates, Unanswered) = (posts, expected, delivered, lost, extra, unanswered);
}
