using System.Threading.Channels;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

/// <summary>
/// Group commit for message posts, the hot write. Posts queue here; a writer loop takes whatever has queued up
/// (up to <see cref="MaxBatch"/>) and the store writes it as one transaction in which every post is checked,
/// counted and inserted on its own (see <c>Storage/MessageSql</c>). Then, still holding the tickets'
/// <see cref="WriteGate"/> stripes, each stored post's <c>committed</c> step runs in commit order (so events leave
/// in seq order) and its caller is answered. Under load many posts share one commit, one log write and one round
/// trip; alone, a post is written at once. Callers hear of success only after the commit: if a transaction fails,
/// none of its posts is stored and each caller gets the error. Posts of one ticket always go to the same loop.
/// </summary>
public abstract class MessageBatcher : IAsyncDisposable
{
    public const int MaxBatch = 128;

    private readonly Partition[] _partitions;
    private readonly WriteGate _gate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();

    protected MessageBatcher(int loops, WriteGate gate, ILogger logger)
    {
        _partitions = Enumerable.Range(0, loops).Select(_ => new Partition()).ToArray();
        _gate = gate;
        Logger = logger;
    }

    protected ILogger Logger { get; }

    /// <summary>Null when the post was refused: no such ticket for this caller, or it is closed.</summary>
    public Task<Ticket?> WriteAsync(Message message, bool staff, Action<Ticket> committed, CancellationToken ct)
    {
        var pending = new PendingPost(message, staff, committed, ct);
        var index = _partitions.Length == 1 ? 0 : (int)((uint)StringComparer.Ordinal.GetHashCode(message.TicketId) % (uint)_partitions.Length);
        var partition = _partitions[index];
        if (partition.Loop is null)
            lock (_startLock) partition.Loop ??= Task.Run(() => LoopAsync(partition, index));
        if (!partition.Queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(GetType().Name);
        return pending.Task;
    }

    /// <summary>
    /// Writes the batch in one transaction on loop <paramref name="loop"/>'s own connection. Per post: the ticket
    /// after the write, null when refused, or an error that concerns that post only. Throws when the transaction
    /// as a whole failed (nothing stored).
    /// </summary>
    protected abstract Task<(Ticket? Ticket, Exception? Error)[]> WriteBatchAsync(int loop, List<PendingPost> batch, CancellationToken ct);

    /// <summary>Closes loop <paramref name="loop"/>'s connection; called after a failed transaction and at the end.</summary>
    protected abstract void Reset(int loop);

    private async Task LoopAsync(Partition partition, int loop)
    {
        var reader = partition.Queue.Reader;
        var batch = new List<PendingPost>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var next))
                    if (next.Cancellation.IsCancellationRequested) next.TrySetCanceled(next.Cancellation);
                    else batch.Add(next);
                if (batch.Count == 0) continue;
                using var _ = await _gate.EnterAllAsync(batch.Select(p => p.Message.TicketId), _stop.Token);
                (Ticket? Ticket, Exception? Error)[] results;
                try
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    results = await WriteBatchAsync(loop, batch, _stop.Token);
                    Metrics.ServerMetrics.Committed(results, started);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    Logger.LogError(e, "Message write of {Count} post(s) failed; none was stored", batch.Count);
                    Reset(loop);
                    foreach (var p in batch) p.TrySetException(e);
                    continue;
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    var (ticket, error) = results[i];
                    if (error is not null) { batch[i].TrySetException(error); continue; }
                    if (ticket is not null)
                    {
                        try { batch[i].Committed(ticket); }
                        catch (Exception e) { Logger.LogError(e, "After-commit step failed for ticket {TicketId}", ticket.Id); }
                    }
                    batch[i].TrySetResult(ticket);
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
        public Channel<PendingPost> Queue { get; } = Channel.CreateUnbounded<PendingPost>(new() { SingleReader = true });
        public Task? Loop { get; set; }
    }

    protected sealed class PendingPost(Message message, bool staff, Action<Ticket> committed, CancellationToken ct)
        : TaskCompletionSource<Ticket?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Message Message { get; } = message;
        public bool Staff { get; } = staff;
        public Action<Ticket> Committed { get; } = committed;
        public CancellationToken Cancellation { get; } = ct;
    }
}
