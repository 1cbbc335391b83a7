namespace SupportTicket.FakeDiscord.Http;

internal sealed record BucketVerdict(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter, string Hash);

/// <summary>
/// Real enforcement: fixed windows per (bucket hash, major parameter), and the global limit as a sliding window
/// over arrivals. Any 429 produced here is "unforced" — the client went over a limit it was told about.
/// </summary>
internal sealed class FakeRateLimiter(FakeDiscordOptions options, Func<TimeSpan> now)
{
    private readonly Dictionary<string, (TimeSpan Start, int Count)> _windows = [];
    private readonly Queue<TimeSpan> _global = new();
    private readonly Lock _gate = new();

    public BucketConfig ConfigFor(string route) =>
        options.RouteBuckets.TryGetValue(route, out var config) ? config
        : route == "POST /channels/{channel_id}/messages" ? options.MessageBucket
        : options.DefaultBucket;

    public static string HashFor(string route, BucketConfig config) =>
        config.Hash ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(route)))[..16];

    /// <summary>Null when the request may go; otherwise how long until the global window has room.</summary>
    public TimeSpan? TakeGlobal()
    {
        lock (_gate)
        {
            var t = now();
            while (_global.Count > 0 && t - _global.Peek() >= options.GlobalWindow)
            {
                _global.Dequeue();
            }

            if (_global.Count >= options.GlobalLimit)
            {
                return options.GlobalWindow - (t - _global.Peek());
            }

            _global.Enqueue(t);
            return null;
        }
    }

    public BucketVerdict TakeBucket(string route, string major)
    {
        var config = ConfigFor(route);
        var hash = HashFor(route, config);
        lock (_gate)
        {
            var t = now();
            var key = $"{hash}|{major}";
            if (!_windows.TryGetValue(key, out var window) || t - window.Start >= config.Per)
            {
                window = (t, 0);
            }

            var resetAfter = config.Per - (t - window.Start);
            if (window.Count >= config.Limit)
            {
                _windows[key] = window;
                return new BucketVerdict(false, config.Limit, 0, resetAfter, hash);
            }

            window.Count++;
            _windows[key] = window;
            return new BucketVerdict(true, config.Limit, config.Limit - window.Count, resetAfter, hash);
        }
    }

    /// <summary>What the headers would say right now, without counting a request (used for scripted faults).</summary>
    public BucketVerdict Peek(string route, string major)
    {
        var config = ConfigFor(route);
        var hash = HashFor(route, config);
        lock (_gate)
        {
            var t = now();
            if (!_windows.TryGetValue($"{hash}|{major}", out var window) || t - window.Start >= config.Per)
            {
                return new BucketVerdict(true, config.Limit, config.Limit, config.Per, hash);
            }

            return new BucketVerdict(true, config.Limit, config.Limit - window.Count, config.Per - (t - window.Start), hash);
        }
    }
}
