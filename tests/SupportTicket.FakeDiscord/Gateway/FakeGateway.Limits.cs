using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Gateway;

/// <summary>
/// Discord's identify limits: session_start_limit (1000 a day; past it Discord resets the token, so the fake closes
/// with 4004 and answers REST with 401 from then on) and max_concurrency (one Identify per 5 s per bucket; a faster
/// one gets op 9 false).
/// </summary>
public sealed partial class FakeGateway
{
    private readonly ConcurrentQueue<TimeSpan> _identifyTimes = new();
    private readonly Lock _limitGate = new();
    private TimeSpan? _budgetWindowStart;
    private int _sessionStartsUsed;
    private int _tooFast;
    private volatile bool _tokenReset;

    /// <summary>When each Identify arrived (accepted or not), on the fake's clock.</summary>
    public IReadOnlyList<TimeSpan> IdentifyTimes => _identifyTimes.ToArray();

    /// <summary>Identifies that came sooner than MinIdentifyInterval after the previous one.</summary>
    public int TooFastIdentifies => Volatile.Read(ref _tooFast);

    /// <summary>True once the client identified past its budget: Discord reset the token.</summary>
    public bool TokenReset => _tokenReset;

    /// <summary>session_start_limit as GET /gateway/bot reports it now.</summary>
    internal JsonObject SessionStartLimit()
    {
        lock (_limitGate)
        {
            ExpireBudgetWindow();
            var options = server.Options;
            var resetAfter = _budgetWindowStart is { } start ? options.SessionStartResetAfter - (server.Now - start) : options.SessionStartResetAfter;
            return new JsonObject
            {
                ["total"] = options.SessionStartTotal,
                ["remaining"] = Math.Max(0, options.SessionStartTotal - _sessionStartsUsed),
                ["reset_after"] = (long)Math.Ceiling(resetAfter.TotalMilliseconds),
                ["max_concurrency"] = 1,
            };
        }
    }

    /// <summary>Refused = the Identify is answered here (op 9 sent, or a close code returned).</summary>
    private async Task<(bool Refused, (int, string)? Close)> ApplyIdentifyLimitsAsync(FakeGatewayConnection connection)
    {
        var now = server.Now;
        var previous = _identifyTimes.LastOrDefault(TimeSpan.MinValue);
        _identifyTimes.Enqueue(now);
        if (_tokenReset)
        {
            return (true, (4004, "Authentication failed"));
        }

        if (previous != TimeSpan.MinValue && now - previous < server.Options.MinIdentifyInterval)
        {
            Interlocked.Increment(ref _tooFast);
            await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false });
            return (true, null);
        }

        lock (_limitGate)
        {
            ExpireBudgetWindow();
            if (_sessionStartsUsed >= server.Options.SessionStartTotal)
            {
                _tokenReset = true;
                return (true, (4004, "Authentication failed"));
            }

            _budgetWindowStart ??= now;
            _sessionStartsUsed++;
        }

        return (false, null);
    }

    private void ExpireBudgetWindow()
    {
        if (_budgetWindowStart is { } start && server.Now - start >= server.Options.SessionStartResetAfter)
        {
            _budgetWindowStart = null;
            _sessionStartsUsed = 0;
        }
    }
}
