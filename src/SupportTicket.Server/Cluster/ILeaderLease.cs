namespace SupportTicket.Server.Cluster;

/// <summary>
/// Which node talks to Discord. Exactly one node of a cluster may run the gateway connection and the outbox sender;
/// the others only write outbox rows. The cluster lease (<see cref="PostgresLeaderLease"/>) implements this.
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
