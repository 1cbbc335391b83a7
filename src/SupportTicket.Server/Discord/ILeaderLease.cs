namespace SupportTicket.Server.Discord;

/// <summary>
/// Which node talks to Discord. Exactly one node of a cluster may run the gateway connection and the outbox sender;
/// the others only write outbox rows. The cluster lease (PostgreSQL or Redis, issue #12 item 9) implements this.
/// </summary>
public interface ILeaderLease
{
    bool IsLeader { get; }

    /// <summary>Completes when this node holds the lease. The token it returns is cancelled when the lease is lost.</summary>
    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct);
}

/// <summary>One node: always the leader.</summary>
public sealed class SingleNodeLease : ILeaderLease
{
    public bool IsLeader => true;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken ct) => Task.FromResult(CancellationToken.None);
}
