using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Auth;

public sealed record ValidatedToken(ClaimsPrincipal Principal, CurrentUser User, DateTimeOffset ExpiresAt, string? Jti, DateTimeOffset? IssuedAt);

// The one place a bearer token is checked, for REST and the hub alike, so a token is good on both or on neither:
// signature, lifetime and audience, then TokenAcceptance (a new check every token must pass belongs there). The
// library's own claims are never read: the principal is made from the accepted user.
public sealed class TokenValidator(
    SigningKeys keys, IOptions<AuthOptions> options, TokenAcceptance acceptance, TimeProvider clock, IEnumerable<ITokenObserver> observers)
{
    private readonly ITokenObserver[] _observers = observers.ToArray();

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters = AuthExtensions.ValidationParameters(keys, options.Value, clock);

    public async Task<(ValidatedToken? Token, Exception? Failure)> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid) return (null, result.Exception);
        if (result.SecurityToken is not JsonWebToken jwt) return (null, new AuthenticationFailureException("Token is malformed"));
        var (accepted, problem) = acceptance.Accept(jwt);
        if (accepted is null) return (null, new AuthenticationFailureException(problem!));
        foreach (var observer in _observers) observer.Seen(accepted.User);
        var expires = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc)) + _parameters.ClockSkew;
        return (new ValidatedToken(accepted.User.ToPrincipal(), accepted.User, expires, accepted.Jti, accepted.IssuedAt), null);
    }

    public static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}

/// <summary>Told of every accepted token (REST and hub), e.g. to remember a customer's mail address. Must not block.</summary>
public interface ITokenObserver
{
    void Seen(CurrentUser user);
}
