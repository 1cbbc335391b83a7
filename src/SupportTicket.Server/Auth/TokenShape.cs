using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SupportTicket.Server.Auth;

/// <summary>
/// A token must say one thing: parsers disagree on repeated keys (this one keeps the last) and on arrays
/// (<c>["ADMIN","CUSTOMER"]</c> is whichever a reader takes first), so both are refused rather than interpreted.
/// One pass over the payload's JSON, on every request: it decodes into a stack buffer and compares key names as
/// bytes, so a valid token costs no allocation here.
/// </summary>
internal static class TokenShape
{
    private static readonly string[] Single = [TokenClaims.Id, TokenClaims.Subject, TokenClaims.Role];
    private const int StackBytes = 2048, MaxKeys = 64;

    public static string? Ambiguity(JsonWebToken jwt)
    {
        var token = jwt.EncodedToken.AsSpan();
        var start = token.IndexOf('.') + 1;
        var payload = token[start..][..token[start..].IndexOf('.')];
        var length = Base64Url.GetMaxDecodedLength(payload.Length);
        byte[]? rented = null;
        var buffer = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            // The handler decoded the same text already, so this cannot fail for a token that got this far.
            Base64Url.DecodeFromChars(payload, buffer, out _, out var written);
            return Check(buffer[..written]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string? Check(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Span<Range> keys = stackalloc Range[MaxKeys];
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            // An escaped name ("ro\u006ce") or a payload with very many keys: compare as strings instead.
            if (reader.ValueIsEscaped || count == MaxKeys) return CheckAsStrings(json);
            var start = (int)reader.TokenStartIndex + 1; // after the opening quote
            var name = json.Slice(start, reader.ValueSpan.Length);
            for (var i = 0; i < count; i++)
                if (json[keys[i]].SequenceEqual(name)) return Repeats(reader.GetString()!);
            keys[count++] = new Range(start, start + name.Length);
            if (SingleValued(ref reader) is { } single && MoreThanOne(ref reader)) return MoreThanOneOf(single);
        }
        return null;
    }

    /// <summary>The slow path, for names with escapes: what the JSON reader unescapes is what the token handler sees.</summary>
    private static string? CheckAsStrings(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            var name = reader.GetString()!;
            if (!seen.Add(name)) return Repeats(name);
            if (Array.IndexOf(Single, name) >= 0 && MoreThanOne(ref reader)) return MoreThanOneOf(name);
        }
        return null;
    }

    /// <summary>Which of <see cref="Single"/> the current property is, compared without making its name a string.</summary>
    private static string? SingleValued(ref Utf8JsonReader reader)
    {
        foreach (var claim in Single)
            if (reader.ValueTextEquals(claim)) return claim;
        return null;
    }

    /// <summary>Moves to the property's value: an array of more than one element names several values.</summary>
    private static bool MoreThanOne(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
        var elements = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++elements > 1) return true;
            reader.Skip();
        }
        return false;
    }

    private static string Repeats(string name) => $"Token repeats the claim '{name}'";

    private static string MoreThanOneOf(string name) => $"Token has more than one '{name}'";
}
