using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.Events;

namespace SupportTicket.Server.Realtime;

// This node's connections and their group membership (names from HubGroups). Kept here rather than in SignalR's own
// groups because delivery must de-duplicate across groups and filter per recipient (expiry, internal notes), which
// Clients.Groups(...) does not. Also owns the two connection timers: authorize-timeout and expiry.
internal sealed class RealtimeConnections(
    IHubContext<TicketHub> hub, IOptions<RealtimeOptions> options, TimeProvider clock, ILogger<RealtimeConnections> logger)
{
    // ITimer due times are capped near 49 days; a longer-lived token re-arms the timer when it fires early.
    private static readonly TimeSpan MaxDue = TimeSpan.FromDays(30);

    private static readonly TimeSpan CloseGrace = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RealtimeConnection> _byId = new();
    private readonly Dictionary<string, HashSet<RealtimeConnection>> _groups = new();

    public RealtimeConnection Add(HubCallerContext context)
    {
        var connection = new RealtimeConnection(context, options.Value.ConnectionQueueLength);
        lock (_lock)
        {
            _byId[connection.Id] = connection;
            connection.Timer = AuthorizeTimer(connection);
        }
        return connection;
    }

    // Queues an event or a reply for the connection. Everything sent to a connection goes through here, so it arrives
    // in one order. A connection too far behind is closed; it reconnects and catches up by seq.
    public void Enqueue(RealtimeConnection connection, string name, object payload)
    {
        switch (connection.TryEnqueue(name, payload))
        {
            case QueueResult.StartPump: _ = PumpAsync(connection); return;
            case QueueResult.Queued or QueueResult.Completed: return;
        }
        if (!connection.TryComplete()) return; // already closing
        logger.LogWarning("Closing hub connection {ConnectionId}: {Count} events queued, the client is not keeping up",
            connection.Id, options.Value.ConnectionQueueLength);
        connection.Context.Abort();
    }

    public void CloseWithError(RealtimeConnection connection, string message)
    {
        connection.CloseWhenDrained = true;
        var queued = connection.TryEnqueue(EventNames.Error, new ErrorPayload(message), last: true);
        if (queued is QueueResult.StartPump) _ = PumpAsync(connection);
        else if (queued is QueueResult.Full && connection.TryComplete()) connection.Context.Abort();
    }

    private async Task PumpAsync(RealtimeConnection connection)
    {
        await Task.Yield(); // off the caller's thread: Enqueue is called under other locks and in fan-out loops
        bool completed;
        while (connection.TryDequeue(out var item, out completed))
        {
            var (name, payload) = item;
            try
            {
                await hub.Clients.Client(connection.Id).SendAsync(name, payload);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not send {Event} to hub connection {ConnectionId}", name, connection.Id);
            }
        }
        if (!completed || !connection.CloseWhenDrained) return;
        // Abort cancels the transport's pending flush; give the reason a moment to leave before the socket closes.
        await Task.Delay(CloseGrace);
        connection.Context.Abort();
    }

    public RealtimeConnection? Find(string connectionId)
    {
        lock (_lock) return _byId.GetValueOrDefault(connectionId);
    }

    public void Remove(string connectionId)
    {
        lock (_lock)
        {
            if (!_byId.Remove(connectionId, out var connection)) return;
            connection.Timer?.Dispose();
            connection.TryComplete();
            LeaveAll(connection);
        }
    }

    public void Authorize(RealtimeConnection connection, HubIdentity identity)
    {
        var user = identity.User;
        lock (_lock)
        {
            LeaveAll(connection);
            if (connection.SubscribedAs != user.Id || !user.IsStaff) connection.Subscriptions.Clear();
            connection.SubscribedAs = user.Id;
            connection.Identity = identity;
            var generation = ++connection.Generation;
            Join(connection, HubGroups.User(user.Id));
            if (user.IsStaff) Join(connection, HubGroups.Staff);
            foreach (var ticketId in connection.Subscriptions) Join(connection, HubGroups.Ticket(ticketId));
            connection.Timer?.Dispose();
            connection.Timer = clock.CreateTimer(_ => Expire(connection, generation), null, DueIn(identity.ExpiresAt), Timeout.InfiniteTimeSpan);
        }
    }

    public void Subscribe(RealtimeConnection connection, string ticketId)
    {
        lock (_lock)
        {
            if (connection.Identity is null || !connection.Subscriptions.Add(ticketId)) return;
            Join(connection, HubGroups.Ticket(ticketId));
        }
    }

    public void Unsubscribe(RealtimeConnection connection, string ticketId)
    {
        lock (_lock)
        {
            connection.Subscriptions.Remove(ticketId);
            Leave(connection, HubGroups.Ticket(ticketId));
        }
    }

    // Closes every connection whose token is now revoked. Runs after each revocation refresh, so a revocation made on
    // any node reaches this node's connections within Auth:RevocationRefreshSeconds.
    public void CloseRevoked(RevocationCache revocations)
    {
        foreach (var connection in All())
        {
            if (connection.Identity is not { } identity || connection.CloseWhenDrained) continue;
            if (!revocations.IsRevoked(identity.User.Id, identity.Jti, identity.IssuedAt)) continue;
            lock (_lock)
            {
                LeaveAll(connection);
                connection.Identity = null;
                connection.Generation++;
            }
            logger.LogInformation("Closing hub connection {ConnectionId} of {UserId}: token revoked", connection.Id, identity.User.Id);
            CloseWithError(connection, "Token has been revoked");
        }
    }

    public List<RealtimeConnection> All()
    {
        lock (_lock) return [.. _byId.Values];
    }

    public List<RealtimeConnection> Members(IEnumerable<string> groups)
    {
        var members = new HashSet<RealtimeConnection>();
        lock (_lock)
            foreach (var group in groups)
                if (_groups.TryGetValue(group, out var set)) members.UnionWith(set);
        return [.. members];
    }

    private ITimer AuthorizeTimer(RealtimeConnection connection)
    {
        var generation = connection.Generation;
        return clock.CreateTimer(_ => CloseIfUnauthorized(connection, generation), null,
            TimeSpan.FromSeconds(options.Value.AuthorizeTimeoutSeconds), Timeout.InfiniteTimeSpan);
    }

    private void CloseIfUnauthorized(RealtimeConnection connection, long generation)
    {
        lock (_lock)
            if (connection.Generation != generation || !_byId.ContainsKey(connection.Id)) return;
        logger.LogInformation("Closing hub connection {ConnectionId}: not authorized within {Seconds} s",
            connection.Id, options.Value.AuthorizeTimeoutSeconds);
        connection.Context.Abort();
    }

    private void Expire(RealtimeConnection connection, long generation)
    {
        lock (_lock)
        {
            if (connection.Generation != generation || connection.Identity is not { } identity || !_byId.ContainsKey(connection.Id)) return;
            if (identity.ExpiresAt > clock.GetUtcNow())
            {
                connection.Timer?.Dispose();
                connection.Timer = clock.CreateTimer(_ => Expire(connection, generation), null, DueIn(identity.ExpiresAt), Timeout.InfiniteTimeSpan);
                return;
            }
            LeaveAll(connection);
            connection.Identity = null;
            connection.Generation++;
            connection.Timer?.Dispose();
            connection.Timer = AuthorizeTimer(connection);
        }
        logger.LogInformation("Hub connection {ConnectionId} of {UserId}: token expired", connection.Id, connection.SubscribedAs);
        Enqueue(connection, EventNames.Error, new ErrorPayload("Token has expired: call authorize with a fresh token to receive events again"));
    }

    private TimeSpan DueIn(DateTimeOffset at)
    {
        var due = at - clock.GetUtcNow();
        return due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxDue ? MaxDue : due;
    }

    private void Join(RealtimeConnection connection, string group)
    {
        if (!_groups.TryGetValue(group, out var set)) _groups[group] = set = [];
        set.Add(connection);
        connection.Groups.Add(group);
    }

    private void Leave(RealtimeConnection connection, string group)
    {
        if (!connection.Groups.Remove(group) || !_groups.TryGetValue(group, out var set)) return;
        set.Remove(connection);
        if (set.Count == 0) _groups.Remove(group);
    }

    private void LeaveAll(RealtimeConnection connection)
    {
        foreach (var group in connection.Groups.ToArray()) Leave(connection, group);
    }
}
