namespace SupportTicket.Discord.Rest;

internal sealed class BucketState
{
    private readonly Lock _gate = new();
    private int _remaining = 1;
    private long _resetAtMs;

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

    // Taken from the response, so the reset is measured from when the answer arrived, never earlier than the server
    // measured it: that makes client-side waiting always at least as long as the server's window.
    public void Update(int remaining, TimeSpan resetAfter, long nowMs)
    {
        lock (_gate)
        {
            _remaining = remaining;
            _resetAtMs = nowMs + (long)Math.Ceiling(resetAfter.TotalMilliseconds);
        }
    }

    public void Exhaust(TimeSpan retryAfter, long nowMs) => Update(0, retryAfter, nowMs);
}
