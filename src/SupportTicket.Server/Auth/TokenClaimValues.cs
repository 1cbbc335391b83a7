using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SupportTicket.Server.Auth;

internal static class TokenClaimValues
{
    private static readonly long MinSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds(), MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static readonly string[] Names =
    [
        TokenClaims.Id, TokenClaims.Subject, TokenClaims.Username, TokenClaims.Email, TokenClaims.Role,
        JwtRegisteredClaimNames.Iss, JwtRegisteredClaimNames.Jti, JwtRegisteredClaimNames.Iat,
    ];

    public static string? Read(ref Utf8JsonReader reader, ref TokenPayload.Builder claims)
    {
        var name = Known(ref reader);
        if (name is null) return null;
        reader.Read();
        if (name == JwtRegisteredClaimNames.Iat) return IssuedAt(ref reader, ref claims);
        var (value, problem) = Value(ref reader, name);
        if (problem is not null) return problem;
        switch (name)
        {
            case TokenClaims.Id: claims.Id = value; break;
            case TokenClaims.Subject: claims.Subject = value; break;
            case TokenClaims.Username: claims.Username = value; break;
            case TokenClaims.Email: claims.Email = value; break;
            case TokenClaims.Role: claims.Role = value; break;
            case JwtRegisteredClaimNames.Iss: claims.Issuer = value; break;
            default: claims.Jti = value; break;
        }
        return null;
    }

    // Exact names only: Role is not role (and cannot appear beside it, see TokenShape).
    private static string? Known(ref Utf8JsonReader reader)
    {
        foreach (var name in Names)
            if (reader.ValueTextEquals(name)) return name;
        return null;
    }

    // A string or number; an array of one is that one (backends send both), of several is ambiguous.
    private static (string? Value, string? Problem) Value(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return Scalar(ref reader, name);
        string? only = null;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++count > 1) return (null, $"Token has more than one '{name}'");
            var (value, problem) = Scalar(ref reader, name);
            if (problem is not null) return (null, problem);
            only = value;
        }
        return (only, null);
    }

    private static (string? Value, string? Problem) Scalar(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.String => (reader.GetString(), null),
        JsonTokenType.Number => (Encoding.UTF8.GetString(reader.ValueSpan), null),
        JsonTokenType.Null => (null, null),
        _ => (null, $"Token claim '{name}' must be a string"),
    };

    private static string? IssuedAt(ref Utf8JsonReader reader, ref TokenPayload.Builder claims)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var whole))
            claims.IssuedAt = Math.Clamp(whole, MinSeconds, MaxSeconds);
        else if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var fraction) && double.IsFinite(fraction))
            claims.IssuedAt = (long)Math.Clamp(Math.Floor(fraction), MinSeconds, MaxSeconds);
        else
            return "Token claim 'iat' must be a number (seconds since 1970)";
        return null;
    }
}
