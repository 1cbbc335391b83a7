using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace SupportTicket.TrustedBackend.Users;

/// <summary>
/// In-memory user store. A real backend would use its own database; what matters here is that
/// passwords are hashed with <see cref="PasswordHasher{TUser}"/> (PBKDF2, salted) and never stored.
/// </summary>
public sealed class UserStore
{
    private readonly ConcurrentDictionary<string, AppUser> _byUsername = new(StringComparer.OrdinalIgnoreCase);
    private readonly PasswordHasher<AppUser> _hasher = new();

    /// <summary>The documented demo accounts (README, "The widget and the trusted backend"). Password = username + "-demo".</summary>
    public static IReadOnlyList<(string Username, string Role)> DemoUsers { get; } =
    [
        ("alice", Roles.Customer),
        ("bob", Roles.Customer),
        ("agent", Roles.Agent),
        ("admin", Roles.Admin),
    ];

    public static string DemoPassword(string username) => username + "-demo";

    public void SeedDemoUsers()
    {
        foreach (var (username, role) in DemoUsers)
        {
            TryCreate(username, $"{username}@example.com", DemoPassword(username), role, out _);
        }
    }

    public bool TryCreate(string username, string email, string password, string role, out AppUser user)
    {
        var candidate = new AppUser(NewId("u"), username, email, role);
        candidate = candidate with { PasswordHash = _hasher.HashPassword(candidate, password) };
        user = _byUsername.GetOrAdd(username, candidate);
        return ReferenceEquals(user, candidate);
    }

    public AppUser? FindById(string id) => _byUsername.Values.FirstOrDefault(u => u.Id == id);

    /// <summary>Returns the user when the password matches; rehashes transparently when the hasher asks for it.</summary>
    public AppUser? VerifyPassword(string username, string password)
    {
        if (!_byUsername.TryGetValue(username, out var user))
        {
            // Hash anyway so an unknown username costs as much time as a wrong password.
            _hasher.HashPassword(new AppUser("", username, "", ""), password);
            return null;
        }

        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = user with { PasswordHash = _hasher.HashPassword(user, password) };
            _byUsername.TryUpdate(username, rehashed, user);
        }

        return result == PasswordVerificationResult.Failed ? null : user;
    }

    public static string NewId(string prefix) =>
        $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
}
