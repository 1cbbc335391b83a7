using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SupportTicket.Bench;

/// <summary>
/// Mints HS256 tokens the way a trusted backend does (claims id, username, email, role, exp). Written by hand so the
/// bench needs no JWT package and minting 20,000 tokens costs next to nothing.
/// </summary>
public sealed class Tokens(string key)
{
    private static readonly string Header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public string For(BenchUser user, TimeSpan? lifetime = null)
    {
        var exp = DateTimeOffset.UtcNow.Add(lifetime ?? TimeSpan.FromHours(6)).ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["id"] = user.Id, ["username"] = user.Name, ["email"] = $"{user.Id}@bench.invalid", ["role"] = user.Role,
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["exp"] = exp,
        });
        var signingInput = Header + "." + Base64Url(payload);
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A user the bench acts as. Ids carry a run prefix so repeated runs against one database never collide.</summary>
public sealed record BenchUser(string Id, string Name, string Role)
{
    public static BenchUser Customer(string run, int i) => new($"bench-{run}-c{i}", $"customer {i}", "CUSTOMER");
    public static BenchUser Agent(string run, int i) => new($"bench-{run}-a{i}", $"agent {i}", "AGENT");

    /// <summary>An agent who only posts (to ticket <paramref name="ticket"/>): not connected to the hub.</summary>
    public static BenchUser Writer(string run, int ticket, int k) => new($"bench-{run}-w{ticket}x{k}", $"writer {ticket}/{k}", "AGENT");
}
