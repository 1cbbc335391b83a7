using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Auth;

public static class TokenRules
{
    public static string? Check(TokenPayload claims)
    {
        var id = claims.RawId;
        if (string.IsNullOrWhiteSpace(id)) return "Token has no user id (claim 'id' or 'sub')";
        if (id.Length > 128) return "Token user id is longer than 128 characters";
        foreach (var (claim, value) in new[]
                 {
                     (TokenClaims.Id, claims.Id), (TokenClaims.Subject, claims.Subject),
                     (TokenClaims.Username, claims.Username), (TokenClaims.Email, claims.Email),
                 })
            if (value is not null && (value.Length > 256 || !Errors.TextSafety.IsStorable(value)))
                return $"Token claim '{claim}' is longer than 256 characters or holds invalid characters";
        // Exactly as written: "admin" is not a role, and a key scoped to CUSTOMER compares the same way.
        if (claims.Role is null || !Roles.All.Contains(claims.Role))
            return $"Token role must be one of {string.Join(", ", Roles.All)}";
        return null;
    }

    public static string Describe(Exception? failure, bool hasToken) => failure switch
    {
        null when !hasToken => "Missing bearer token",
        null => "Invalid bearer token",
        SecurityTokenExpiredException => "Token has expired",
        SecurityTokenNotYetValidException => "Token is not valid yet",
        SecurityTokenNoExpirationException => "Token has no expiry (exp)",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "Token signature is invalid",
        SecurityTokenInvalidAlgorithmException => "Token algorithm is not accepted",
        SecurityTokenInvalidIssuerException => "Token issuer is not trusted",
        SecurityTokenInvalidAudienceException => "Token audience is not accepted",
        SecurityTokenMalformedException or ArgumentException => "Token is malformed",
        AuthenticationFailureException => failure.Message, // our own TokenRules.Check text
        _ => "Invalid bearer token",
    };
}
