namespace SupportTicket.Server.Cluster;

/// <summary>Settings that only matter when several nodes share one PostgreSQL and one Redis.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>
    /// CLUSTER_CHANNEL_PREFIX: prefix of every Redis pub/sub channel this deployment uses (SignalR backplane and the
    /// event relay), so two deployments can share one Redis without hearing each other.
    /// </summary>
    public string ChannelPrefix { get; set; } = "supportticket";

    /// <summary>NODE_NAME: how this node appears in logs and in /health/ready. Default: host name and process id.</summary>
    public string? NodeName { get; set; }

    /// <summary>How often a node that is not the leader tries to take the lease (and how often the leader checks it).</summary>
    public int LeaseCheckSeconds { get; set; } = 2;

    /// <summary>
    /// CLUSTER_RELAY_SECRET: the key (at least 32 bytes) the event relay signs its Redis messages with; the same on
    /// every node. Unset: derived from JWT_SECRET_KEY, which every node shares already (Cluster/RelaySigner.cs).
    /// </summary>
    public string? RelaySecret { get; set; }

    public const int MinRelaySecretBytes = 32;

    /// <summary>
    /// Cluster:LeaseTtlSeconds (Cluster__LeaseTtlSeconds): how long a renewal keeps the lease. Another node takes over this long after the
    /// leader's last renewal (killed, partitioned or paused); the leader itself stops a second before.
    /// </summary>
    public int LeaseTtlSeconds { get; set; } = 15;

    public string Node => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : NodeName.Trim();

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ChannelPrefix) || ChannelPrefix.Any(char.IsWhiteSpace))
            throw new ConfigurationException("CLUSTER_CHANNEL_PREFIX must be a non-empty word without spaces");
        if (!string.IsNullOrWhiteSpace(RelaySecret) && System.Text.Encoding.UTF8.GetByteCount(RelaySecret.Trim()) is var length and < MinRelaySecretBytes)
            throw new ConfigurationException($"CLUSTER_RELAY_SECRET must be at least {MinRelaySecretBytes} bytes long (it has {length})");
        if (LeaseCheckSeconds is < 1 or > 10)
            throw new ConfigurationException("Cluster:LeaseCheckSeconds must be between 1 and 10 (failover must stay under 30 s)");
        if (LeaseTtlSeconds < 2 * LeaseCheckSeconds + 1 || LeaseTtlSeconds > 30)
            throw new ConfigurationException("Cluster:LeaseTtlSeconds must be more than twice Cluster:LeaseCheckSeconds and at most 30");
    }
}
