using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Cluster;

public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    public string ChannelPrefix { get; set; } = "supportticket";

    public string? NodeName { get; set; }

    public int LeaseCheckSeconds { get; set; } = 2;

    // CLUSTER_RELAY_SECRET: the key (at least 32 bytes) the event relay signs its Redis messages with; the same on
    // every node. Unset: derived from JWT_SECRET_KEY, which every node shares already (Cluster/RelaySigner.cs).
    public string? RelaySecret { get; set; }

    public const int MinRelaySecretBytes = 32;

    // Cluster:LeaseTtlSeconds (Cluster__LeaseTtlSeconds): how long a renewal keeps the lease. Another node takes over
    // this long after the leader's last renewal (killed, partitioned or paused); the leader itself stops a second
    // before.
    public int LeaseTtlSeconds { get; set; } = 15;

    public string Node => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : NodeName.Trim();
}

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options) =>
        Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(ClusterOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ChannelPrefix) || o.ChannelPrefix.Any(char.IsWhiteSpace))
            return "CLUSTER_CHANNEL_PREFIX must be a non-empty word without spaces";
        if (!string.IsNullOrWhiteSpace(o.RelaySecret) && System.Text.Encoding.UTF8.GetByteCount(o.RelaySecret.Trim()) is var length and < ClusterOptions.MinRelaySecretBytes)
            return $"CLUSTER_RELAY_SECRET must be at least {ClusterOptions.MinRelaySecretBytes} bytes long (it has {length})";
        if (o.LeaseCheckSeconds is < 1 or > 10)
            return "Cluster:LeaseCheckSeconds must be between 1 and 10 (failover must stay under 30 s)";
        if (o.LeaseTtlSeconds < 2 * o.LeaseCheckSeconds + 1 || o.LeaseTtlSeconds > 30)
            return "Cluster:LeaseTtlSeconds must be more than twice Cluster:LeaseCheckSeconds and at most 30";
        return null;
    }
}
