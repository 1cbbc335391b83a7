using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Auth;

/// <summary>
/// A token must say one thing: parsers disagree on repeated keys (this one keeps the last) and on arrays
/// (<c>["ADMIN","CUSTOMER"]</c> is whichever a reader takes first), so both are refused rather than interpreted.
/// </summary>
internal static class TokenShape
{
    private static readonly string[] Single = [TokenClaims.Id, TokenClaims.Subject, TokenClaims.Role];

    public static string? Ambiguity(JsonWebToken jwt, ClaimsPrincipal principal)
    {
        if (RepeatedKey(jwt.EncodedPayload) is { } repeated) return $"Token repeats the claim '{repeated}'";
        foreach (var claim in Single)
            if (principal.FindAll(claim).Skip(1).Any()) return $"Token has more than one '{claim}'";
        return null;
    }

    private static string? RepeatedKey(string encodedPayload)
    {
        var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(encodedPayload));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && !seen.Add(reader.GetString()!))
                return reader.GetString();
        return null;
    }
}
