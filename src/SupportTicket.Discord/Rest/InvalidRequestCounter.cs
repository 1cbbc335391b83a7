namespace SupportTicket.Discord.Rest;

// Counts 401/403/429 answers over the last ten minutes: 10,000 of them get the IP banned by Cloudflare
// (429s with scope "shared" do not count). The client slows down, then stops, as the count nears that.
internal sealed class InvalidRequestCounter(DiscordClientOptions options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly Queue<DateTimeOffset> _hits = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSlot;

    public int Total { get; private set; }

    public void Record()
    {
        lock (_gate)
        {
            _hits.Enqueue(time.GetUtcNow());
            Total++;
        }
    }

    public int InLastTenMinutes
    {
        get
        {
            lock (_gate)
            {
                return Prune(time.GetUtcNow());
            }
        }
    }

    // How long the next request must wait because of the invalid-request budget; zero while the count is low. Reserves
    // the slot, so concurrent callers are spaced out rather than released together.
    public TimeSpan Throttle(bool space)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var count = Prune(now);
            if (count >= options.InvalidRequestStop)
            {
                return _hits.ElementAt(count - options.InvalidRequestStop) + Window - now;
            }

            if (!space || count < options.InvalidRequestSlowdownStart)
            {
                return TimeSpan.Zero;
            }

            var range = Math.Max(1, options.InvalidRequestStop - options.InvalidRequestSlowdownStart);
            var spacing = options.InvalidRequestMaxSpacing * ((double)(count - options.InvalidRequestSlowdownStart + 1) / range);
            var slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + spacing;
            return slot - now;
        }
    }

    private int Prune(DateTimeOffset now)
    {
        var cutoff = now - Window;
        while (_hits.Count > 0 && _hits.Peek() < cutoff)
        {
            _hits.Dequeue();
        }

        return _hits.Count;
    }
}
