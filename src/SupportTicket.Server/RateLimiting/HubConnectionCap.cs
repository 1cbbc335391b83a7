using Microsoft.Extensions.Options;

namespace SupportTicket.Server.RateLimiting;

/// <summary>
/// Concurrent hub connections per user on this node. A connection counts from the moment its user is known
/// (token at connect, or a successful <c>authorize</c>) until it closes; re-authorizing as someone else moves it.
/// </summary>
public sealed class HubConnectionCap(IOptionsMonitor<RateLimitOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _userOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _connectionsOf = new(StringComparer.Ordinal);

    public int Max => options.CurrentValue.Enabled ? options.CurrentValue.MaxHubConnectionsPerUser : 0;

    /// <summary>Counts the connection for the user; false (and not counted) when that would exceed the cap.</summary>
    public bool TryAdd(string connectionId, string userKey)
    {
        lock (_lock)
        {
            if (_userOf.TryGetValue(connectionId, out var current) && current == userKey) return true;
            var max = Max;
            var others = _connectionsOf.GetValueOrDefault(userKey);
            if (max > 0 && others is not null && others.Count >= max) return false;
            RemoveLocked(connectionId);
            _userOf[connectionId] = userKey;
            if (others is null) _connectionsOf[userKey] = others = new(StringComparer.Ordinal);
            others.Add(connectionId);
            return true;
        }
    }

    public void Remove(string connectionId)
    {
        lock (_lock) RemoveLocked(connectionId);
    }

    public int CountFor(string userKey)
    {
        lock (_lock) return _connectionsOf.GetValueOrDefault(userKey)?.Count ?? 0;
    }

    private void RemoveLocked(string connectionId)
    {
        if (!_userOf.Remove(connectionId, out var user) || !_connectionsOf.TryGetValue(user, out var set)) return;
        set.Remove(connectionId);
        if (set.Count == 0) _connectionsOf.Remove(user);
    }
}
