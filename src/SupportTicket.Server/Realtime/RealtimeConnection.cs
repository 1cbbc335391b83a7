using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Realtime;

internal sealed record HubIdentity(CurrentUser User, DateTimeOffset ExpiresAt, string? Jti = null, DateTimeOffset? IssuedAt = null);

// What this node knows about one hub connection. Mutated only under RealtimeConnections' lock.
internal sealed class RealtimeConnection(HubCallerContext context, int queueLength)
{
    private volatile HubIdentity? _identity;

    // Events waiting to be written to this connection, drained by one pump that runs only while something is queued
    // (an idle connection holds no pump task and no channel). It keeps this connection's order and keeps a slow or
    // briefly disconnected client (stateful reconnect blocks sends when its buffer is full) from holding up delivery
    // to everyone else.
    private readonly Lock _queueLock = new();
    private Queue<(string Name, object Payload)>? _queue;
    private bool _pumping;
    private bool _completed;

    // With last: true nothing may be queued after this item (atomically, so the pump cannot stop in between).
    public QueueResult TryEnqueue(string name, object payload, bool last = false)
    {
        lock (_queueLock)
        {
            if (_completed) return QueueResult.Completed;
            _queue ??= new Queue<(string, object)>(4);
            if (_queue.Count >= queueLength) return QueueResult.Full;
            _queue.Enqueue((name, payload));
            _completed = last;
            if (_pumping) return QueueResult.Queued;
            _pumping = true;
            return QueueResult.StartPump;
        }
    }

    // False when already completed: nothing more is queued; what is queued is still sent.
    public bool TryComplete()
    {
        lock (_queueLock) return !_completed && (_completed = true);
    }

    // The pump's next item; false ends the pump (it restarts on the next TryEnqueue), with whether the queue is complete.
    public bool TryDequeue(out (string Name, object Payload) item, out bool completed)
    {
        lock (_queueLock)
        {
            completed = _completed;
            if (_queue is { Count: > 0 } queue)
            {
                item = queue.Dequeue();
                return true;
            }
            item = default;
            _pumping = false;
            return false;
        }
    }

    public string Id => context.ConnectionId;
    public HubCallerContext Context => context;

    public HubIdentity? Identity { get => _identity; set => _identity = value; }

    // Bumped on every authorize and expiry, so a stale timer does nothing.
    public long Generation { get; set; }

    public int FailedAuthorizations { get; set; }

    public HashSet<string> Groups { get; } = [];

    // Ticket ids a staff member subscribed to; kept across expiry so re-authorizing as the same user restores them.
    public HashSet<string> Subscriptions { get; } = [];
    public string? SubscribedAs { get; set; }

    public ITimer? Timer { get; set; }

    public bool CloseWhenDrained { get; set; }

    public bool IsAuthorizedAt(DateTimeOffset now) => Identity is { } identity && identity.ExpiresAt > now;
}

internal enum QueueResult { Queued, StartPump, Full, Completed }
