using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.TrustedBackend.Users;

namespace SupportTicket.TrustedBackend.Tokens;

public sealed record IssuedToken(string Token, long ExpiresAt);

/// <summary>
/// Mints the short-lived HS256 tokens the ticket server trusts. Claims follow the seed's payload
/// (id, username, email, role) plus exp/iat/nbf and a jti so the server can revoke a single token.
/// </summary>
public sealed class TokenIssuer(IOptions<BackendOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public IssuedToken Issue(UserDto user) =>
        Issue(user, time.GetUtcNow(), TimeSpan.FromSeconds(options.Value.TokenLifetimeSeconds));

    public IssuedToken Issue(UserDto user, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.JwtSecretKey));
        var expires = issuedAt + lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["id"] = user.Id,
                ["username"] = user.Username,
                ["email"] = user.Email,
                ["role"] = user.Role,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return new IssuedToken(Handler.CreateToken(descriptor), expires.ToUnixTimeSeconds());
    }
}
