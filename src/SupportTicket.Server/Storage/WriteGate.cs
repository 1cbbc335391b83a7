namespace SupportTicket.Server.Storage;

// Orders writes inside this process. SQLite has one writer: requests queue here instead of fighting over the file lock
// (multi-second tails otherwise, measured: docs/architecture.md). On PostgreSQL, writes to the same ticket take the
// same stripe, so a ticket's events are published in commit order.
public sealed class WriteGate
{
    private readonly SemaphoreSlim[] _stripes;

    public WriteGate(DatabaseTarget target)
    {
        var count = target.Provider == DatabaseProvider.Sqlite ? 1 : 256;
        _stripes = Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    }

    public async ValueTask<Lease> EnterAsync(string ticketId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[_stripes.Length == 1 ? 0 : Index(ticketId)];
        await stripe.WaitAsync(cancellationToken);
        return new Lease(stripe);
    }

    // Enters the stripes of several tickets at once (a batch of writes), always in ascending stripe order so two such
    // callers cannot deadlock. Dispose the result to leave them all.
    public async ValueTask<MultiLease> EnterAllAsync(IEnumerable<string> ticketIds, CancellationToken cancellationToken)
    {
        var indexes = _stripes.Length == 1 ? [0] : ticketIds.Select(Index).Distinct().Order().ToArray();
        var entered = new List<SemaphoreSlim>(indexes.Length);
        try
        {
            foreach (var i in indexes)
            {
                await _stripes[i].WaitAsync(cancellationToken);
                entered.Add(_stripes[i]);
            }
        }
        catch
        {
            foreach (var stripe in entered) stripe.Release();
            throw;
        }
        return new MultiLease(entered);
    }

    private int Index(string ticketId) => (int)((uint)StringComparer.Ordinal.GetHashCode(ticketId) % (uint)_stripes.Length);

    public readonly struct MultiLease(List<SemaphoreSlim> stripes) : IDisposable
    {
        public void Dispose()
        {
            foreach (var stripe in stripes) stripe.Release();
        }
    }

    public readonly struct Lease(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
