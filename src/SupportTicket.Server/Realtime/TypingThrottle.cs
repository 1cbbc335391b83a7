using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Realtime;

/// <summary>At most one relayed typing event per user and ticket per window (per node), so a key-repeat storm stays local.</summary>
internal sealed class TypingThrottle(TimeProvider clock, IOptions<RealtimeOptions> options)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<(string UserId, string TicketId), long> _last = new();
    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.TypingThrottleSeconds);

    public bool TryEnter(string userId, string ticketId)
    {
        var now = clock.GetTimestamp();
        if (_last.Count > PruneAbove) Prune(now);
        var key = (userId, ticketId);
        while (true)
        {
            if (!_last.TryGetValue(key, out var last)) { if (_last.TryAdd(key, now)) return true; continue; }
            if (clock.GetElapsedTime(last, now) < _window) return false;
            if (_last.TryUpdate(key, now, last)) return true;
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, last) in _last)
            if (clock.GetElapsedTime(last, now) >= _window) _last.TryRemove(key, out _);
    }
}
