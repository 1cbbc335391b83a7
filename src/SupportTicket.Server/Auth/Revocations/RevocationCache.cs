namespace SupportTicket.Server.Auth.Revocations;

// The active revocations in memory, so every request and hub connection is checked without a database read. Refreshed
// from the database by RevocationSync every few seconds (that is how every node learns of a revocation made on
// another); a revocation made on this node is added at once.
public sealed class RevocationCache(TimeProvider clock)
{
    private sealed record Snapshot(IReadOnlyDictionary<string, long> Jtis, IReadOnlyDictionary<string, long> UsersRevokedAt);

    private volatile Snapshot _current = new(new Dictionary<string, long>(), new Dictionary<string, long>());
    private readonly Lock _lock = new();

    public event Action? Changed;

    // Revoked: its jti is listed, or its user was revoked after the token was issued. A token without iat cannot prove
    // it is newer than a user-wide revocation, so it counts as covered.
    public bool IsRevoked(string userId, string? jti, DateTimeOffset? issuedAt)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var snapshot = _current;
        if (jti is not null && snapshot.Jtis.TryGetValue(jti, out var jtiExpires) && jtiExpires > now) return true;
        return snapshot.UsersRevokedAt.TryGetValue(userId, out var revokedAt)
            && (issuedAt is null || issuedAt.Value.ToUnixTimeSeconds() < revokedAt);
    }

    public void Replace(IEnumerable<Revocation> active)
    {
        var jtis = new Dictionary<string, long>(StringComparer.Ordinal);
        var users = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in active) Add(jtis, users, r);
        lock (_lock) _current = new(jtis, users);
        Changed?.Invoke();
    }

    public void Add(Revocation revocation)
    {
        lock (_lock)
        {
            var jtis = new Dictionary<string, long>(_current.Jtis, StringComparer.Ordinal);
            var users = new Dictionary<string, long>(_current.UsersRevokedAt, StringComparer.Ordinal);
            Add(jtis, users, revocation);
            _current = new(jtis, users);
        }
        Changed?.Invoke();
    }

    private static void Add(Dictionary<string, long> jtis, Dictionary<string, long> users, Revocation r)
    {
        if (r.Jti is not null) jtis[r.Jti] = Math.Max(jtis.GetValueOrDefault(r.Jti), r.ExpiresAt);
        if (r.UserId is not null) users[r.UserId] = Math.Max(users.GetValueOrDefault(r.UserId), r.RevokedAt);
    }
}
