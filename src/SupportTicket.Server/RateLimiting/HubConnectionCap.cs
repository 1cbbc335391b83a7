using Microsoft.Extensions.Options;

namespace SupportTicket.Server.RateLimiting;

public sealed class HubConnectionCap(Func<RateLimitOptions, int> limit, IOptionsMonitor<RateLimitOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _userOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _connectionsOf = new(StringComparer.Ordinal);

    public int Max => options.CurrentValue.Enabled ? limit(options.CurrentValue) : 0;

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

// The connection caps of the hub. Users are capped per user: authorized people behind one address are never capped by
// address. Guests (free to mint) are capped per address as well, and connections that have not authorized yet per
// address and in total, so a flood of idle sockets cannot pile up.
public sealed class HubConnectionCaps(IOptionsMonitor<RateLimitOptions> options)
{
    public const string Everyone = "*";

    public HubConnectionCap PerUser { get; } = new(o => o.MaxHubConnectionsPerUser, options);
    public HubConnectionCap GuestsPerAddress { get; } = new(o => o.MaxGuestHubConnectionsPerAddress, options);
    public HubConnectionCap AnonymousPerAddress { get; } = new(o => o.MaxAnonymousHubConnectionsPerAddress, options);
    public HubConnectionCap AnonymousTotal { get; } = new(o => o.MaxAnonymousHubConnections, options);

    public void Remove(string connectionId)
    {
        PerUser.Remove(connectionId);
        GuestsPerAddress.Remove(connectionId);
        AnonymousPerAddress.Remove(connectionId);
        AnonymousTotal.Remove(connectionId);
    }
}
