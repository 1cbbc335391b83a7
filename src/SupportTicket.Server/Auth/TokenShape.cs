using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SupportTicket.Server.Auth;

// A token must say one thing, in one spelling: parsers disagree on repeated keys (the JWT library keeps the last),
// on arrays and on case (.NET's claims API finds Role when asked for role). So a repeated name in any spelling, in
// any object of header or payload, and several values for one claim are refused, and the claims the server acts
// on are read in the same pass by exact name.
internal static class TokenShape
{
    private const int StackBytes = 2048, MaxKeys = 64;

    private enum Part { Header, Payload }

    private record struct Key(int Start, int Length, int Depth);

    public static (TokenPayload? Payload, string? Problem) Read(JsonWebToken jwt)
    {
        var token = jwt.EncodedToken.AsSpan();
        var headerEnd = token.IndexOf('.');
        var rest = token[(headerEnd + 1)..];
        var claims = new TokenPayload.Builder();
        var problem = Decode(token[..headerEnd], Part.Header, ref claims) ?? Decode(rest[..rest.IndexOf('.')], Part.Payload, ref claims);
        return problem is null ? (claims.Build(), null) : (null, problem);
    }

    private static string? Decode(ReadOnlySpan<char> encoded, Part part, ref TokenPayload.Builder claims)
    {
        var length = Base64Url.GetMaxDecodedLength(encoded.Length);
        byte[]? rented = null;
        var buffer = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            // The handler decoded and parsed the same text already, so neither can fail for a token that got this far.
            Base64Url.DecodeFromChars(encoded, buffer, out _, out var written);
            return Check(buffer[..written], part, ref claims, asStrings: false);
        }
        catch (JsonException)
        {
            return "Token is malformed";
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // One pass: every property name against the names before it in the same object, ignoring case. The fast path keeps
    // byte ranges on the stack; an escaped ("ro\u006ce") or non-ASCII name, or very many names, start over comparing
    // strings (what the JSON reader unescapes is what every token reader sees).
    private static string? Check(ReadOnlySpan<byte> json, Part part, ref TokenPayload.Builder claims, bool asStrings)
    {
        var reader = new Utf8JsonReader(json);
        Span<Key> keys = stackalloc Key[asStrings ? 0 : MaxKeys];
        var objects = asStrings ? new List<HashSet<string>>() : null;
        var count = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when objects is not null:
                    objects.Add(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    break;
                case JsonTokenType.EndObject when objects is not null:
                    objects.RemoveAt(objects.Count - 1);
                    break;
                case JsonTokenType.EndObject: // the names of the object that ends are no longer in scope
                    while (count > 0 && keys[count - 1].Depth > reader.CurrentDepth) count--;
                    break;
                case JsonTokenType.PropertyName:
                    string? clash;
                    if (objects is not null) clash = ClashAsString(ref reader, objects[^1], part);
                    else if (reader.ValueIsEscaped || count == MaxKeys || !Ascii.IsValid(reader.ValueSpan))
                    {
                        claims = default;
                        return Check(json, part, ref claims, asStrings: true);
                    }
                    else clash = ClashAsBytes(ref reader, json, keys, ref count, part);
                    if (clash is not null) return clash;
                    if (part == Part.Payload && reader.CurrentDepth == 1 && TokenClaimValues.Read(ref reader, ref claims) is { } problem)
                        return problem;
                    break;
            }
        }
        return null;
    }

    private static string? ClashAsBytes(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> json, scoped Span<Key> keys, ref int count, Part part)
    {
        var name = reader.ValueSpan;
        var start = (int)reader.TokenStartIndex + 1; // after the opening quote
        for (var i = count - 1; i >= 0 && keys[i].Depth == reader.CurrentDepth; i--)
        {
            var earlier = json.Slice(keys[i].Start, keys[i].Length);
            if (Ascii.EqualsIgnoreCase(earlier, name)) return Repeats(part, Encoding.UTF8.GetString(earlier), reader.GetString()!);
        }
        keys[count++] = new Key(start, name.Length, reader.CurrentDepth);
        return null;
    }

    private static string? ClashAsString(ref Utf8JsonReader reader, HashSet<string> names, Part part)
    {
        var name = reader.GetString()!;
        if (names.TryGetValue(name, out var earlier)) return Repeats(part, earlier, name);
        names.Add(name);
        return null;
    }

    private static string Repeats(Part part, string first, string second)
    {
        var what = part == Part.Header ? "Token header repeats" : "Token repeats the claim";
        return first == second ? $"{what} '{Shown(first)}'" : $"{what} '{Shown(first)}' as '{Shown(second)}'";
    }

    // The name as the client wrote it, cut short: it is the attacker's text.
    private static string Shown(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
