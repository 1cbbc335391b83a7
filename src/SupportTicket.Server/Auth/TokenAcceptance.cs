using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Auth.Revocations;

namespace SupportTicket.Server.Auth;

/// <summary>
/// Everything a token must satisfy after its signature and times checked out, for REST and the hub alike: one
/// unambiguous id and role, the issuer and roles its key is trusted for, a bounded lifetime, not revoked. Returns the
/// principal the rest of the server sees, with the user id scoped to the key's issuer.
/// </summary>
public sealed class TokenAcceptance(SigningKeys keys, IOptions<AuthOptions> options, TimeProvider clock, RevocationCache revocations)
{
    private readonly string[] _issuers = AuthExtensions.Split(options.Value.Issuer);

    public (ClaimsPrincipal? Principal, string? Problem) Accept(ClaimsPrincipal principal, SecurityToken token)
    {
        if (token is not JsonWebToken jwt) return (null, "Token is malformed");
        if ((TokenShape.Ambiguity(jwt) ?? TokenRules.Check(principal)) is { } problem) return (null, problem);
        var scope = keys.ScopeOf(jwt.SigningKey);
        if (IssuerProblem(jwt, scope) is { } issuer) return (null, issuer);
        var role = principal.FindFirst(TokenClaims.Role)!.Value;
        if (scope?.Roles is { } roles && !roles.Contains(role))
            return (null, $"Token role {role} may not be granted by key '{scope.Kid}'");
        if (LifetimeProblem(jwt) is { } lifetime) return (null, lifetime);

        var id = scope?.UserId(CurrentUser.RawId(principal)!) ?? CurrentUser.RawId(principal)!;
        if (revocations.IsRevoked(id, Jti(jwt), IssuedAt(jwt))) return (null, "Token has been revoked");
        return (Scoped(principal, id), null);
    }

    private string? IssuerProblem(JsonWebToken jwt, KeyScope? scope)
    {
        var iss = string.IsNullOrEmpty(jwt.Issuer) ? null : jwt.Issuer;
        if (scope?.Issuer is { } own)
            return iss == own ? null : $"Token issuer must be '{own}' for key '{scope.Kid}'";
        return _issuers.Length == 0 || (iss is not null && _issuers.Contains(iss, StringComparer.Ordinal)) ? null : "Token issuer is not trusted";
    }

    private string? LifetimeProblem(JsonWebToken jwt)
    {
        var max = TimeSpan.FromSeconds(options.Value.MaxTokenLifetimeSeconds);
        var from = IssuedAt(jwt) ?? clock.GetUtcNow();
        var lifetime = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc)) - from;
        return lifetime <= max + TimeSpan.FromSeconds(options.Value.ClockSkewSeconds) ? null
            : $"Token lifetime exceeds the {options.Value.MaxTokenLifetimeSeconds} s this server accepts (exp - iat)";
    }

    public static string? Jti(JsonWebToken jwt) => jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) ? jti : null;

    public static DateTimeOffset? IssuedAt(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : null;

    /// <summary>One <c>id</c> claim holding the id this server uses; <c>sub</c> is dropped so nobody reads the raw one.</summary>
    private static ClaimsPrincipal Scoped(ClaimsPrincipal principal, string id)
    {
        var source = (ClaimsIdentity)principal.Identity!;
        var identity = new ClaimsIdentity(source.AuthenticationType, TokenClaims.Username, TokenClaims.Role);
        identity.AddClaims(source.Claims.Where(c => c.Type is not (TokenClaims.Id or TokenClaims.Subject)));
        identity.AddClaim(new Claim(TokenClaims.Id, id));
        return new ClaimsPrincipal(identity);
    }
}
