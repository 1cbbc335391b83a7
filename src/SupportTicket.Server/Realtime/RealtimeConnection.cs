using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Realtime;

/// <summary>Who a connection authorized as, until when (exp plus clock skew), and the jti and iat a revocation may name.</summary>
internal sealed record HubIdentity(CurrentUser User, DateTimeOffset ExpiresAt, string? Jti = null, DateTimeOffset? IssuedAt = null);

/// <summary>What this node knows about one hub connection. Mutated only under <see cref="RealtimeConnections"/>' lock.</summary>
internal sealed class RealtimeConnection(HubCallerContext context, int queueLength)
{
    private volatile HubIdentity? _identity;

    /// <summary>
    /// Events waiting to be written to this connection, drained by one pump. It keeps this connection's order and keeps
    /// a slow or briefly disconnected client (stateful reconnect blocks sends when its buffer is full) from holding up
    /// delivery to everyone else.
    /// </summary>
    public Channel<(string Name, object Payload)> Outbox { get; } = Channel.CreateBounded<(string, object)>(
        new BoundedChannelOptions(queueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public string Id => context.ConnectionId;
    public HubCallerContext Context => context;

    /// <summary>Null while unauthorized: never authorized, or the token expired.</summary>
    public HubIdentity? Identity { get => _identity; set => _identity = value; }

    /// <summary>Bumped on every authorize and expiry, so a stale timer does nothing.</summary>
    public long Generation { get; set; }

    /// <summary>Failed authorize attempts (token at connect included); per-IP limits count these, never successes.</summary>
    public int FailedAuthorizations { get; set; }

    public HashSet<string> Groups { get; } = [];

    /// <summary>Ticket ids a staff member subscribed to; kept across expiry so re-authorizing as the same user restores them.</summary>
    public HashSet<string> Subscriptions { get; } = [];
    public string? SubscribedAs { get; set; }

    public ITimer? Timer { get; set; }

    /// <summary>Set when the connection is refused: the pump closes it once the queued events (the reason last) are sent.</summary>
    public bool CloseWhenDrained { get; set; }

    public bool IsAuthorizedAt(DateTimeOffset now) => Identity is { } identity && identity.ExpiresAt > now;
}
