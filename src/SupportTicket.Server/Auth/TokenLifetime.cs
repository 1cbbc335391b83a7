using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Auth;

// The token lifetime check on the server's TimeProvider instead of the library's wall clock, so a token expires at the
// same instant for REST, for authorize and for the hub's expiry timer of an open connection (and a test's fake clock
// moves all three). Throws what the library's own check throws, so TokenRules.Describe explains a refusal as before.
internal static class TokenLifetime
{
    public static LifetimeValidator On(TimeProvider clock) => (notBefore, expires, _, parameters) =>
    {
        if (expires is null)
            throw new SecurityTokenNoExpirationException("The token has no expiration time");
        if (notBefore > expires)
            throw new SecurityTokenInvalidLifetimeException("The token's nbf is after its exp") { NotBefore = notBefore, Expires = expires };
        var now = clock.GetUtcNow().UtcDateTime;
        if (notBefore > now + parameters.ClockSkew)
            throw new SecurityTokenNotYetValidException("The token is not valid yet") { NotBefore = notBefore.Value };
        if (expires < now - parameters.ClockSkew)
            throw new SecurityTokenExpiredException("The token has expired") { Expires = expires.Value };
        return true;
    };
}
