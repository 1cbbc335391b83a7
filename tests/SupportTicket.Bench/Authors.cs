using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// Who posts. With the server's rate limits on, each user may post <c>--user-limit</c> messages a minute, so the load
/// comes from many users the way a real deployment's does: per ticket, its customer and as many agents as it takes
/// that every author stays within <see cref="BenchOptions.UserBudgetPerMinute"/> at the highest rate (agents may post
/// to any ticket; an agent's post costs the server the same statements and reaches the same 1 + A connections).
/// </summary>
public sealed class TicketAuthors
{
    private readonly string[] _tokens; // ticket t's authors at t * PerTicket + k; k = 0 is its customer
    private readonly int _tickets;

    public TicketAuthors(BenchOptions options, Tokens tokens, string[] customerTokens, int maxRate)
    {
        _tickets = customerTokens.Length;
        PerTicket = Needed(options, maxRate, _tickets);
        _tokens = new string[_tickets * PerTicket];
        for (var t = 0; t < _tickets; t++)
        {
            _tokens[t * PerTicket] = customerTokens[t];
            for (var k = 1; k < PerTicket; k++) _tokens[t * PerTicket + k] = tokens.For(BenchUser.Writer(options.Run, t, k));
        }
    }

    public int PerTicket { get; }
    public int Total => _tokens.Length;

    /// <summary>Authors per ticket so that at <paramref name="maxRate"/> none posts more than its budget a minute.</summary>
    public static int Needed(BenchOptions options, int maxRate, int tickets) =>
        options.Limits ? Math.Max(1, (int)Math.Ceiling(maxRate * 60.0 / (options.UserBudgetPerMinute * (double)tickets))) : 1;

    /// <summary>
    /// The token for post <paramref name="index"/> (which goes to ticket index % T): the ticket's authors take turns,
    /// so one author's posts are T × PerTicket posts apart, at least 60 / budget seconds at the highest rate.
    /// </summary>
    public string For(long index) => _tokens[(int)(index % _tickets) * PerTicket + (int)(index / _tickets % PerTicket)];

    public string Describe(BenchOptions options) => options.Limits
        ? $"{Total} distinct authors ({_tickets} customers + {Total - _tickets} agents), each <= {options.UserBudgetPerMinute} posts/min (server limit {options.UserLimitPerMinute})"
        : $"{Total} authors (rate limits off: one per ticket)";
}

/// <summary>
/// A closed-loop worker's authors for one ticket, used in turn; an author is used again only after 60 / budget seconds
/// (the worker waits otherwise, and the waits are counted: a run that waited was limited by the bench, not the server).
/// </summary>
public sealed class PacedAuthors(string[] tokens, BenchOptions options)
{
    private readonly long[] _nextAllowed = new long[tokens.Length];
    private readonly long _spacing = options.Limits ? Stopwatch.Frequency * 60 / options.UserBudgetPerMinute : 0;
    private int _next;

    /// <summary>How often this worker had to wait for an author (read after the phase; one worker uses one instance).</summary>
    public long Waits { get; private set; }

    public async ValueTask<string> TakeAsync(CancellationToken ct)
    {
        var i = _next;
        _next = (_next + 1) % tokens.Length;
        var wait = _nextAllowed[i] - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            Waits++;
            await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), ct);
        }
        _nextAllowed[i] = Stopwatch.GetTimestamp() + _spacing;
        return tokens[i];
    }
}
