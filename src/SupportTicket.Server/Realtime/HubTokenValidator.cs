using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Realtime;

/// <summary>Who a connection authorized as, until when (exp plus clock skew), and the jti and iat a revocation may name.</summary>
internal sealed record HubIdentity(CurrentUser User, DateTimeOffset ExpiresAt, string? Jti = null, DateTimeOffset? IssuedAt = null);

/// <summary>
/// Checks a token handed to the hub (the seed's <c>authorize</c>, or <c>access_token</c> at connect) with exactly the
/// rules REST applies, so a token is good on both or on neither.
/// </summary>
internal sealed class HubTokenValidator(SigningKeys keys, IOptions<AuthOptions> options, TokenAcceptance acceptance)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters = AuthExtensions.ValidationParameters(keys, options.Value);

    public async Task<(HubIdentity? Identity, string? Error)> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, "Missing token: call authorize with {\"token\": \"<jwt>\"}");
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid) return (null, TokenRules.Describe(result.Exception, hasToken: true));
        var (principal, problem) = acceptance.Accept(new ClaimsPrincipal(result.ClaimsIdentity), result.SecurityToken);
        if (principal is null) return (null, problem);
        var expires = new DateTimeOffset(DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc)) + _parameters.ClockSkew;
        var jwt = (JsonWebToken)result.SecurityToken;
        return (new HubIdentity(CurrentUser.From(principal), expires, TokenAcceptance.Jti(jwt), TokenAcceptance.IssuedAt(jwt)), null);
    }
}
