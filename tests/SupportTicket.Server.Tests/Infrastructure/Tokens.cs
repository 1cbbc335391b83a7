using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Tests.Infrastructure;

public sealed record TestUser(string Id, string Username, string Role)
{
    public static TestUser Customer(string id = "cust-1", string? name = null) => new(id, name ?? id, "CUSTOMER");
    public static TestUser Guest(string id = "guest-1") => new(id, id, "TEMP_USER");
    public static TestUser Agent(string id = "agent-1") => new(id, id, "AGENT");
    public static TestUser Admin(string id = "admin-1") => new(id, id, "ADMIN");
}

/// <summary>Real JWTs, as a trusted backend would mint them.</summary>
public static class Tokens
{
    public const string Secret = "test-secret-key-that-is-at-least-32-bytes-long!";
    public static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes(Secret));

    public static string For(TestUser user, TimeSpan? lifetime = null) => Mint(Claims(user), lifetime ?? TimeSpan.FromHours(1));

    public static Dictionary<string, object> Claims(TestUser user) => new()
    {
        ["id"] = user.Id, ["username"] = user.Username, ["email"] = $"{user.Id}@example.com", ["role"] = user.Role,
    };

    public static string Mint(IDictionary<string, object> claims, TimeSpan lifetime, SecurityKey? key = null,
        DateTime? notBefore = null, string? kid = null, bool withExpiry = true)
    {
        var now = DateTime.UtcNow;
        var signingKey = key ?? Key;
        if (kid is not null) signingKey.KeyId = kid;
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now.AddHours(-2),
            NotBefore = notBefore ?? now.AddHours(-2),
            SigningCredentials = new SigningCredentials(signingKey, signingKey is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256),
        };
        if (withExpiry) descriptor.Expires = now + lifetime;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = withExpiry };
        return handler.CreateToken(descriptor);
    }

    /// <summary>
    /// A token whose payload (and header, when given) is exactly that text (repeated keys and all), signed HS256.
    /// </summary>
    public static string Raw(string payloadJson, byte[]? secret = null, string headerJson = """{"alg":"HS256","typ":"JWT"}""")
    {
        var signingInput = $"{Base64UrlEncoder.Encode(headerJson)}.{Base64UrlEncoder.Encode(payloadJson)}";
        using var hmac = new System.Security.Cryptography.HMACSHA256(secret ?? Key.Key);
        return $"{signingInput}.{Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    /// <summary>An unsigned token with "alg": "none", the classic forgery.</summary>
    public static string AlgNone(TestUser user)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"id\":\"{user.Id}\",\"username\":\"{user.Username}\",\"role\":\"{user.Role}\",\"exp\":{exp}}}")}.";
    }
}
