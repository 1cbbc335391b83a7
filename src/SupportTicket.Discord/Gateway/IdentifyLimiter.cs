using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Gateway;

// Decides how long to wait before the next Identify: Discord's spacing (one per 5 s per concurrency bucket), the daily
// session-start budget from GET /gateway/bot, and a growing pause when sessions keep dying right after they started, so
// that a crash loop cannot spend the 1000 identifies a day (past which Discord resets the token).
internal sealed class IdentifyLimiter(DiscordClientOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long? _lastIdentifyMs;
    private bool _sessionJudged = true;
    private int _crashes;
    private SessionStartLimit? _limit;
    private long _limitReadAtMs;

    public int ConsecutiveCrashes
    {
        get
        {
            lock (_gate)
            {
                return _crashes;
            }
        }
    }

    public SessionStartLimit? LastLimit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    private long NowMs => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    public void UpdateLimit(SessionStartLimit limit)
    {
        lock (_gate)
        {
            _limit = limit;
            _limitReadAtMs = NowMs;
        }
    }

    public void IdentifySent()
    {
        lock (_gate)
        {
            _lastIdentifyMs = NowMs;
            _sessionJudged = false;
            if (_limit is { } limit)
            {
                _limit = limit with { Remaining = Math.Max(0, limit.Remaining - 1) };
            }
        }
    }

    public void SessionLost()
    {
        lock (_gate)
        {
            // Judged once per Identify: failed connections before the next Identify change nothing.
            if (_sessionJudged || _lastIdentifyMs is not { } last)
            {
                return;
            }

            _sessionJudged = true;
            _crashes = NowMs - last < (long)options.StableSessionTime.TotalMilliseconds ? _crashes + 1 : 0;
        }
    }

    public (TimeSpan Wait, string Reason) DelayBeforeIdentify()
    {
        lock (_gate)
        {
            var now = NowMs;
            var wait = TimeSpan.Zero;
            var reason = "";
            if (_lastIdentifyMs is { } last)
            {
                Consider(TimeSpan.FromMilliseconds(last - now) + options.IdentifyInterval, "identify spacing");
                if (_crashes > 0)
                {
                    var pause = options.CrashLoopDelay * Math.Pow(2, Math.Min(_crashes - 1, 20));
                    Consider(TimeSpan.FromMilliseconds(last - now) + (pause < options.CrashLoopMaxDelay ? pause : options.CrashLoopMaxDelay),
                        $"{_crashes} session(s) in a row ended right after they started");
                }
            }

            if (_limit is { Remaining: <= 0 } limit)
            {
                Consider(TimeSpan.FromMilliseconds(_limitReadAtMs + limit.ResetAfter - now), "session_start_limit exhausted");
            }

            return (wait, reason);

            void Consider(TimeSpan candidate, string why)
            {
                if (candidate > wait)
                {
                    (wait, reason) = (candidate, why);
                }
            }
        }
    }
}
