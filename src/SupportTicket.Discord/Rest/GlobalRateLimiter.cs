namespace SupportTicket.Discord.Rest;

// Client-side 50 requests per second, plus the pause a global 429 imposes on every route. A slot is returned one window
// after the response arrived (not after the request left), so the server can never see more than the limit inside any
// window, whatever the network delay.
internal sealed class GlobalRateLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private readonly SemaphoreSlim _slots = new(limit, limit);
    private long _pausedUntilMs;

    public long NowMs => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    public void Pause(TimeSpan retryAfter)
    {
        var until = NowMs + (long)Math.Ceiling(retryAfter.TotalMilliseconds);
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntilMs);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntilMs, until, current) != current);
    }

    public async Task WaitForPauseAsync(CancellationToken ct)
    {
        while (true)
        {
            var remaining = Interlocked.Read(ref _pausedUntilMs) - NowMs;
            if (remaining <= 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(remaining), time, ct);
        }
    }

    public Task AcquireAsync(CancellationToken ct) => _slots.WaitAsync(ct);

    public void ReleaseLater() =>
        _ = Task.Delay(window, time).ContinueWith(_ => _slots.Release(), TaskScheduler.Default);

    public void ReleaseNow() => _slots.Release();
}
