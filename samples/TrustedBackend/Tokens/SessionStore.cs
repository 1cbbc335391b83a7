using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SupportTicket.TrustedBackend.Users;

namespace SupportTicket.TrustedBackend.Tokens;

/// <summary>
/// Refresh sessions behind an HttpOnly cookie: the browser never holds anything long-lived that
/// script can read, only the short JWT. Refresh tokens rotate on every use; only their hash is kept.
/// </summary>
public sealed class SessionStore(IOptions<BackendOptions> options, TimeProvider time)
{
    private sealed record Session(UserDto User, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private int _starts;

    public TimeSpan Lifetime => TimeSpan.FromHours(options.Value.RefreshLifetimeHours);

    public string Start(UserDto user)
    {
        var refreshToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _sessions[Hash(refreshToken)] = new Session(user, time.GetUtcNow() + Lifetime);
        // Abandoned sessions (tab closed, never signed out) would otherwise pile up in memory.
        if (Interlocked.Increment(ref _starts) % 256 == 0)
        {
            var now = time.GetUtcNow();
            foreach (var (key, session) in _sessions.Where(s => s.Value.ExpiresAt <= now))
            {
                _sessions.TryRemove(key, out _);
            }
        }

        return refreshToken;
    }

    /// <summary>Consumes the refresh token and, when it was valid, starts its successor.</summary>
    public (UserDto User, string RefreshToken)? Rotate(string refreshToken)
    {
        if (!_sessions.TryRemove(Hash(refreshToken), out var session) || session.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        return (session.User, Start(session.User));
    }

    public void End(string refreshToken) => _sessions.TryRemove(Hash(refreshToken), out _);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
