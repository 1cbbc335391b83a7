namespace SupportTicket.Server.Discord;

/// <summary>
/// Which node talks to Discord. Exactly one node of a cluster may run the gateway connection and the outbox sender;
/// the others only write outbox rows. The cluster lease (Cluster/PostgresLeaderLease.cs) implements this.
/// </summary>
public interface ILeaderLease
{
    /// <summary>
    /// True while this node holds the lease and its last renewal is recent enough that no other node can have
    /// taken over. Computed from the monotonic clock at each read, so a process resumed after a long pause (SIGSTOP,
    /// a VM freeze) sees false at once, before its own renewal loop has run again.
    /// </summary>
    bool IsLeader { get; }

    /// <summary>
    /// The fencing token of the current term (it grows with every takeover), or null on a single node where there
    /// is nothing to fence. Every claim and acknowledgement of an outbox row checks it in the same statement.
    /// </summary>
    long? FencingToken { get; }

    /// <summary>Completes when this node holds the lease. The token it returns is cancelled when the lease is lost.</summary>
    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct);
}

/// <summary>One node: always the leader.</summary>
public sealed class SingleNodeLease : ILeaderLease
{
    public bool IsLeader => true;

    public long? FencingToken => null;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct) => Task.FromResult(CancellationToken.None);
}

/// <summary>A Discord call was about to leave a node that no longer holds the lease: refused before it reached the socket.</summary>
public sealed class NotLeaderException() : InvalidOperationException("This node no longer holds the leader lease; Discord calls are refused");

/// <summary>
/// The last gate before the socket: every Discord REST call from this process passes here, so a node that lost the
/// lease (or was paused past it) cannot post, whatever code path it was in when the lease went.
/// </summary>
internal sealed class LeaseGuardHandler(ILeaderLease lease) : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        lease.IsLeader ? base.SendAsync(request, cancellationToken) : Task.FromException<HttpResponseMessage>(new NotLeaderException());
}
