using System.Diagnostics;

namespace SupportTicket.Bench;

/// <summary>
/// T tickets, each with its customer and A agents connected (agents subscribed to it), and an open-loop sender
/// that posts at a fixed rate as the tickets' authors (<see cref="TicketAuthors"/>). Each post is owed 1 + A
/// <c>message</c> events: the owner gets its own tickets' events, subscribed staff get the ticket's.
/// </summary>
public sealed class FanoutRig(BenchOptions options, Tokens tokens, Api api, HttpMessageInvoker hubInvoker, PostLedger ledger, int maxRate) : IAsyncDisposable
{
    private readonly ConnectionPool _pool = new(options, tokens, hubInvoker);
    private readonly BenchUser[] _customers = Enumerable.Range(0, options.Tickets).Select(i => BenchUser.Customer(options.Run, i)).ToArray();
    private string[] _ticketIds = [];
    private TicketAuthors? _authors;
    private int _inFlight;

    public int Recipients => 1 + options.Agents;
    public ConnectionPool Pool => _pool;
    public int InFlight => Volatile.Read(ref _inFlight);
    public TicketAuthors Authors => _authors ?? throw new InvalidOperationException("tickets not created yet");

    public async Task SetUpAsync(CancellationToken ct)
    {
        await CreateTicketsAsync(ct);
        await ConnectAsync(ct);
        if (_pool.Failures > 0)
            throw new InvalidOperationException($"{_pool.Failures} of {options.Tickets * Recipients} hub connections failed; last: {_pool.LastFailure}");
    }

    /// <summary>One ticket per customer, and the authors' tokens.</summary>
    public async Task CreateTicketsAsync(CancellationToken ct)
    {
        var customerTokens = _customers.Select(c => tokens.For(c)).ToArray();
        _ticketIds = new string[options.Tickets];
        // Tickets first, connections after: staff connections receive ticket_created for every new ticket.
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Tickets), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => _ticketIds[i] = await api.CreateTicketAsync(customerTokens[i], $"bench {options.Run} {i}", token));
        _authors = new TicketAuthors(options, tokens, customerTokens, maxRate);
    }

    /// <summary>Posts to the tickets another rig created (coldstart: created through another server process).</summary>
    public void UseTicketsOf(FanoutRig other) => (_ticketIds, _authors) = (other._ticketIds, other.Authors);

    /// <summary>Each ticket's customer and its agents (who subscribe to it); failures are counted in <see cref="Pool"/>.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        var customers = _customers;
        // Tag = ticket * (1 + A) + k: k = 0 is the customer, 1..A its agents.
        var users = new List<(BenchUser, int)>();
        for (var t = 0; t < options.Tickets; t++)
        {
            users.Add((customers[t], t * Recipients));
            for (var a = 0; a < options.Agents; a++) users.Add((BenchUser.Agent(options.Run, t * options.Agents + a), t * Recipients + a + 1));
        }
        await _pool.OpenAsync(users, 16 * 1024, OnEvent, async (c, token) =>
        {
            if (c.Tag % Recipients != 0) await c.SubscribeAsync(_ticketIds[c.Tag / Recipients], token);
        }, ct);
    }

    private void OnEvent(HubConnection connection, ReadOnlySpan<byte> target, ReadOnlySpan<byte> record)
    {
        if (!target.SequenceEqual("message"u8)) return;
        ledger.Delivered(Api.IndexIn(record), PostLedger.Now);
    }

    /// <summary>
    /// Posts <paramref name="rate"/> per second for <paramref name="seconds"/>, each at its scheduled time, into
    /// <paramref name="window"/> (null: warm-up). Returns when the last one has been sent (not answered).
    /// </summary>
    public Task RunOpenLoopAsync(int rate, double seconds, WindowStats? window, CancellationToken ct) =>
        RunOpenLoopPerPostAsync(rate, seconds, _ => window, ct);

    /// <summary>As above, with the window chosen per post from its number in this run (0, 1, …).</summary>
    public async Task RunOpenLoopPerPostAsync(int rate, double seconds, Func<long, WindowStats?> windowOf, CancellationToken ct)
    {
        var total = (long)(rate * seconds);
        var period = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)((seconds + 30) * Stopwatch.Frequency);
        for (long sent = 0; sent < total && !ct.IsCancellationRequested;)
        {
            var now = Stopwatch.GetTimestamp();
            if (now > deadline) break;
            // Everything due by now goes out in this pass; a late pass sends a burst rather than skipping posts.
            for (; sent < total && start + (long)(sent * period) <= now; sent++)
            {
                if (ledger.Schedule(start + (long)(sent * period), windowOf(sent)) is not { } index) return;
                _ = PostAsync(index, (int)(index % options.Tickets), ct);
            }
            await Task.Delay(1, ct).ConfigureAwait(false);
        }
    }

    private async Task PostAsync(int index, int ticket, CancellationToken ct)
    {
        Interlocked.Increment(ref _inFlight);
        ledger.Sent(index, Stopwatch.GetTimestamp());
        int status;
        try
        {
            status = await api.PostMessageAsync(Authors.For(index), _ticketIds[ticket], Api.Content(index, options.PayloadBytes), ct);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            status = 0;
        }
        ledger.Answered(index, status, Recipients, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Waits until every answered post has had its events or <paramref name="limit"/> passes.</summary>
    public async Task DrainAsync(TimeSpan limit, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until && (InFlight > 0 || ledger.Outstanding() > 0))
            await Task.Delay(50, ct);
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
