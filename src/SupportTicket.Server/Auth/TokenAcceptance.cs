using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using SupportTicket.Server.Auth.Revocations;

namespace SupportTicket.Server.Auth;

public sealed record AcceptedToken(CurrentUser User, string? Jti, DateTimeOffset? IssuedAt);

// Everything a token must satisfy after its signature and times, for REST and the hub alike. Every check reads the
// one TokenPayload and the user is made from it, so no later reader can see another id or role than the one checked.
public sealed class TokenAcceptance(SigningKeys keys, IOptions<AuthOptions> options, TimeProvider clock, RevocationCache revocations)
{
    private readonly string[] _issuers = AuthExtensions.Split(options.Value.Issuer);

    public (AcceptedToken? Token, string? Problem) Accept(JsonWebToken jwt)
    {
        var (claims, shape) = TokenShape.Read(jwt);
        if (claims is null) return (null, shape);
        if (TokenRules.Check(claims) is { } problem) return (null, problem);
        var scope = keys.ScopeOf(jwt.SigningKey);
        if (IssuerProblem(claims.Issuer, scope) is { } issuer) return (null, issuer);
        var role = claims.Role!;
        if (scope is not null && !scope.Roles.Contains(role))
            return (null, $"Token role {role} may not be granted by key '{scope.Kid}'");
        if (LifetimeProblem(jwt, claims) is { } lifetime) return (null, lifetime);

        var id = scope?.UserId(claims.RawId!) ?? claims.RawId!;
        if (revocations.IsRevoked(id, claims.Jti, claims.IssuedAt)) return (null, "Token has been revoked");
        var username = string.IsNullOrWhiteSpace(claims.Username) ? id : claims.Username;
        return (new AcceptedToken(new CurrentUser(id, username, claims.Email, role), claims.Jti, claims.IssuedAt), null);
    }

    private string? IssuerProblem(string? claimed, KeyScope? scope)
    {
        var iss = string.IsNullOrEmpty(claimed) ? null : claimed;
        if (scope is not null)
            return iss == scope.Issuer ? null : $"Token issuer must be '{scope.Issuer}' for key '{scope.Kid}'";
        return _issuers.Length == 0 || (iss is not null && _issuers.Contains(iss, StringComparer.Ordinal)) ? null : "Token issuer is not trusted";
    }

    // iat may not lie ahead (beyond the clock skew): exp - iat is what bounds a token's life, so a token dated forward
    // would live as long as its author likes, and would be newer than every user-wide revocation.
    private string? LifetimeProblem(JsonWebToken jwt, TokenPayload claims)
    {
        var now = clock.GetUtcNow();
        var skew = TimeSpan.FromSeconds(options.Value.ClockSkewSeconds);
        if (claims.IssuedAt > now + skew) return "Token is issued in the future (iat is later than now)";
        var max = TimeSpan.FromSeconds(options.Value.MaxTokenLifetimeSeconds);
        var lifetime = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc)) - (claims.IssuedAt ?? now);
        return lifetime <= max + skew ? null
            : $"Token lifetime exceeds the {options.Value.MaxTokenLifetimeSeconds} s this server accepts (exp - iat)";
    }
}
