using Microsoft.Extensions.Options;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Realtime;

// At most one relayed typing event per user and ticket per window, so a key-repeat storm goes no further. Counted in
// the rate limiter's store: in Redis when REDIS_URL is set, so the window holds across nodes (two tabs on two nodes
// relay once), with the limiter's own fallback to this node's memory while Redis is down.
internal sealed class TypingThrottle(IRateLimitStore store, IOptions<RealtimeOptions> options)
{
    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.TypingThrottleSeconds);

    public async ValueTask<bool> TryEnterAsync(string userId, string ticketId, CancellationToken cancellationToken)
    {
        if (_window <= TimeSpan.Zero) return true;
        return (await store.HitAsync($"typing:{userId}:{ticketId}", _window, 1, cancellationToken)).Count == 1;
    }
}
