using System.Collections.Concurrent;

namespace SupportTicket.Server.RateLimiting;

public readonly record struct WindowCount(long Count, TimeSpan ResetAfter);

public interface IRateLimitStore
{
    ValueTask<WindowCount> HitAsync(string key, TimeSpan window, int cost, CancellationToken cancellationToken);
}

public sealed class LocalRateLimitStore(TimeProvider clock) : IRateLimitStore
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweep;

    public ValueTask<WindowCount> HitAsync(string key, TimeSpan window, int cost, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        SweepIfDue(now);
        if (cost == 0)
        {
            if (!_windows.TryGetValue(key, out var existing)) return ValueTask.FromResult(new WindowCount(0, TimeSpan.Zero));
            lock (existing)
                return ValueTask.FromResult(existing.EndsAt > now
                    ? new WindowCount(existing.Count, TimeSpan.FromTicks(existing.EndsAt - now))
                    : new WindowCount(0, TimeSpan.Zero));
        }
        var entry = _windows.GetOrAdd(key, static _ => new Window());
        lock (entry)
        {
            if (entry.EndsAt <= now)
            {
                entry.Count = 0;
                entry.EndsAt = now + window.Ticks;
            }
            entry.Count += cost;
            return ValueTask.FromResult(new WindowCount(entry.Count, TimeSpan.FromTicks(entry.EndsAt - now)));
        }
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + SweepEvery.Ticks, due) != due) return;
        foreach (var (key, entry) in _windows)
            if (Volatile.Read(ref entry.EndsAt) <= now) _windows.TryRemove(new KeyValuePair<string, Window>(key, entry));
    }

    private sealed class Window
    {
        public long Count;
        public long EndsAt;
    }
}
