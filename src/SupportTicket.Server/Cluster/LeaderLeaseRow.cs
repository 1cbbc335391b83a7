namespace SupportTicket.Server.Cluster;

// The cluster's leader lease (one row, Discord). Epoch is the fencing token: a node that takes the lease over
// increments it, and every outbox claim or acknowledgement names the epoch it holds, so a former leader's late
// statements change nothing.
public sealed class LeaderLeaseRow
{
    public const string Discord = "discord";

    public string Name { get; set; } = "";
    public string? Holder { get; set; }
    public long Epoch { get; set; }
    // Unix milliseconds by the database's clock (never a node's, so clock skew between nodes does not matter).
    public long ExpiresAt { get; set; }
}
