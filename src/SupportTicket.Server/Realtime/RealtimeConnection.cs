using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Realtime;

internal sealed record HubIdentity(CurrentUser User, DateTimeOffset ExpiresAt, string? Jti = null, DateTimeOffset? IssuedAt = null);

// What this node knows about one hub connection. Mutated only under RealtimeConnections' lock.
internal sealed class RealtimeConnection(HubCallerContext context, int queueLength)
{
    private volatile HubIdentity? _identity;

    // Events waiting to be written to this connection, drained by one pump. It keeps this connection's order and keeps
    // a slow or briefly disconnected client (stateful reconnect blocks sends when its buffer is full) from holding up
    // delivery to everyone else.
    public Channel<(string Name, object Payload)> Outbox { get; } = Channel.CreateBounded<(string, object)>(
        new BoundedChannelOptions(queueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

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
