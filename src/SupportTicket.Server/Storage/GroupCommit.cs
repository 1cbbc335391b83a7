using System.Threading.Channels;

namespace SupportTicket.Server.Storage;

// Group commit for the hot writes: a writer loop takes whatever has queued (up to MaxBatch) and the store writes it as
// one transaction in which each write is checked and applied on its own. Then, still holding the tickets' WriteGate
// stripes, each write's committed step runs in commit order, so events leave in commit order. Callers hear of success
// only after the commit. One ticket's writes always go to the same loop. TResult null means refused.
public abstract class GroupCommit<TWrite, TResult> : IAsyncDisposable where TResult : class
{
    public const int MaxBatch = 128;

    private readonly Partition[] _partitions;
    private readonly WriteGate _gate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();

    protected GroupCommit(int loops, WriteGate gate, ILogger logger)
    {
        _partitions = Enumerable.Range(0, loops).Select(_ => new Partition()).ToArray();
        _gate = gate;
        Logger = logger;
    }

    protected ILogger Logger { get; }

    protected abstract string Noun { get; }

    protected abstract void Record((TResult? Result, Exception? Error)[] results, long started);

    // ticketId: The ticket written to: its gate stripe is held from the write until committed has run. Null for a
    // ticket nobody can know of yet (a create): no stripe (SQLite's one writer stripe still is).
    protected Task<TResult?> EnqueueAsync(TWrite write, string? ticketId, Action<TResult> committed, CancellationToken ct)
    {
        var pending = new Pending(write, ticketId, committed, ct);
        var index = _partitions.Length == 1 || ticketId is null ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(ticketId) % (uint)_partitions.Length);
        var partition = _partitions[index];
        if (partition.Loop is null)
            lock (_startLock) partition.Loop ??= Task.Run(() => LoopAsync(partition, index));
        if (!partition.Queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(GetType().Name);
        return pending.Task;
    }

    // Writes the batch in one transaction on this loop's own connection. Per write: the result, null when refused, or
    // an error that concerns that write only. Throws when the transaction as a whole failed (nothing stored).
    protected abstract Task<(TResult? Result, Exception? Error)[]> WriteBatchAsync(int loop, List<Pending> batch, CancellationToken ct);

    protected abstract void Reset(int loop);

    private async Task LoopAsync(Partition partition, int loop)
    {
        var reader = partition.Queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var next))
                    if (next.Cancellation.IsCancellationRequested) next.TrySetCanceled(next.Cancellation);
                    else batch.Add(next);
                if (batch.Count == 0) continue;
                using var _ = await _gate.EnterAllAsync(batch.Where(p => p.TicketId is not null).Select(p => p.TicketId!), _stop.Token);
                (TResult? Result, Exception? Error)[] results;
                try
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    results = await WriteBatchAsync(loop, batch, _stop.Token);
                    Record(results, started);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    Logger.LogError(e, "Write of {Count} {Noun}(s) failed; none was stored", batch.Count, Noun);
                    Reset(loop);
                    foreach (var p in batch) p.TrySetException(e);
                    continue;
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    var (result, error) = results[i];
                    if (error is not null) { batch[i].TrySetException(error); continue; }
                    if (result is not null)
                    {
                        try { batch[i].Committed(result); }
                        catch (Exception e) { Logger.LogError(e, "After-commit step of a {Noun} failed (ticket {TicketId})", Noun, batch[i].TicketId); }
                    }
                    batch[i].TrySetResult(result);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        var stopped = new ObjectDisposedException(GetType().Name);
        foreach (var p in batch) p.TrySetException(stopped);
        while (reader.TryRead(out var left)) left.TrySetException(stopped);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var p in _partitions) p.Queue.Writer.TryComplete();
        foreach (var p in _partitions)
            if (p.Loop is not null) await p.Loop;
        for (var i = 0; i < _partitions.Length; i++) Reset(i);
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class Partition
    {
        public Channel<Pending> Queue { get; } = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
        public Task? Loop { get; set; }
    }

    protected sealed class Pending(TWrite write, string? ticketId, Action<TResult> committed, CancellationToken ct)
        : TaskCompletionSource<TResult?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public TWrite Write { get; } = write;
        public string? TicketId { get; } = ticketId;
        public Action<TResult> Committed { get; } = committed;
        public CancellationToken Cancellation { get; } = ct;
    }
}
