namespace SupportTicket.Server.Cluster;

// Which node talks to Discord. Exactly one node of a cluster may run the gateway connection and the outbox sender; the
// others only write outbox rows. The cluster lease (PostgresLeaderLease) implements this.
public interface ILeaderLease
{
    // True while this node holds the lease and its last renewal is recent enough that no other node can have taken
    // over. Computed from the monotonic clock at each read, so a process resumed after a long pause (SIGSTOP, a VM
    // freeze) sees false at once, before its own renewal loop has run again.
    bool IsLeader { get; }

    // The fencing token of the current term (it grows with every takeover), or null on a single node where there is
    // nothing to fence. Every claim and acknowledgement of an outbox row checks it in the same statement.
    long? FencingToken { get; }

    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct);
}

public sealed class SingleNodeLease : ILeaderLease
{
    public bool IsLeader => true;

    public long? FencingToken => null;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct) => Task.FromResult(CancellationToken.None);
}
