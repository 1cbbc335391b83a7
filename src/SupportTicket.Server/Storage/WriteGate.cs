namespace SupportTicket.Server.Storage;

/// <summary>
/// Orders writes inside this process. SQLite has one writer: requests queue here instead of fighting over the
/// file lock (ENVIRONMENT.md measured multi-second tails otherwise). On PostgreSQL, writes to the same ticket
/// take the same stripe, so a ticket's events are published in commit order.
/// </summary>
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
        var stripe = _stripes[_stripes.Length == 1 ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(ticketId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Lease(stripe);
    }

    public readonly struct Lease(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
