namespace SupportTicket.Discord.Rest;

/// <summary>
/// Counts 401/403/429 answers over the last ten minutes: 10,000 of them get the IP banned by Cloudflare.
/// 429s with scope "shared" are excluded because Discord does not count them either.
/// </summary>
internal sealed class InvalidRequestCounter(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly Queue<DateTimeOffset> _hits = new();
    private readonly Lock _gate = new();

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
                var cutoff = time.GetUtcNow() - Window;
                while (_hits.Count > 0 && _hits.Peek() < cutoff)
                {
                    _hits.Dequeue();
                }

                return _hits.Count;
            }
        }
    }
}
