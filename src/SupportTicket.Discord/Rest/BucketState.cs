namespace SupportTicket.Discord.Rest;

/// <summary>What the last response told us about one (bucket hash, major parameter) pair.</summary>
internal sealed class BucketState
{
    private readonly Lock _gate = new();
    private int _remaining = 1;
    private long _resetAtMs;

    /// <summary>How long to wait before the next request may go; zero when it can go now.</summary>
    public TimeSpan WaitTime(long nowMs)
    {
        lock (_gate)
        {
            if (_remaining > 0 || nowMs >= _resetAtMs)
            {
                return TimeSpan.Zero;
            }

            return TimeSpan.FromMilliseconds(_resetAtMs - nowMs);
        }
    }

    /// <summary>
    /// Taken from the response, so the reset is measured from when the answer arrived, never earlier than the
    /// server measured it: that makes client-side waiting always at least as long as the server's window.
    /// </summary>
    public void Update(int remaining, TimeSpan resetAfter, long nowMs)
    {
        lock (_gate)
        {
            _remaining = remaining;
            _resetAtMs = nowMs + (long)Math.Ceiling(resetAfter.TotalMilliseconds);
        }
    }

    /// <summary>After a 429 the bucket is empty until retry_after has passed.</summary>
    public void Exhaust(TimeSpan retryAfter, long nowMs) => Update(0, retryAfter, nowMs);
}
