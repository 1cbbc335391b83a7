namespace SupportTicket.Server.RateLimiting;

// Where hub connections per user are counted across nodes (the cluster's Redis). HubConnectionCap counts this node's;
// the registry answers for the whole cluster, or null when it cannot (no Redis configured, or Redis down), and the
// node's own count decides alone, as the REST limiter falls back to local counting.
public interface IHubConnectionRegistry
{
    // True when counted (or already counted for this user), false when over max, null when unknown.
    ValueTask<bool?> TryAddAsync(string connectionId, string userKey, int max);

    ValueTask RemoveAsync(string connectionId);
}

public sealed class NodeOnlyConnectionRegistry : IHubConnectionRegistry
{
    public ValueTask<bool?> TryAddAsync(string connectionId, string userKey, int max) => ValueTask.FromResult<bool?>(null);

    public ValueTask RemoveAsync(string connectionId) => ValueTask.CompletedTask;
}
