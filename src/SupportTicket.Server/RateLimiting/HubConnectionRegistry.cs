namespace SupportTicket.Server.RateLimiting;

/// <summary>
/// Where hub connections per user are counted across nodes (the cluster's Redis). <see cref="HubConnectionCap"/>
/// counts this node's; the registry answers for the whole cluster, or null when it cannot (no Redis configured, or
/// Redis down), and the node's own count decides alone, as the REST limiter falls back to local counting.
/// </summary>
public interface IHubConnectionRegistry
{
    /// <summary>True when counted (or already counted for this user), false when over <paramref name="max"/>, null when unknown.</summary>
    ValueTask<bool?> TryAddAsync(string connectionId, string userKey, int max);

    ValueTask RemoveAsync(string connectionId);
}

/// <summary>One node: nothing to add to the local count.</summary>
public sealed class NodeOnlyConnectionRegistry : IHubConnectionRegistry
{
    public ValueTask<bool?> TryAddAsync(string connectionId, string userKey, int max) => ValueTask.FromResult<bool?>(null);

    public ValueTask RemoveAsync(string connectionId) => ValueTask.CompletedTask;
}
