using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Auth;

// `token --role CUSTOMER --id u1 --username alice [--email a@b.c] [--minutes 60]`: prints a token signed with the
// configured key, so a newcomer can try the API with curl. Development aid; a real trusted backend mints its own.
internal static class TokenCommand
{
    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == "token";

    public static int Run(string[] args, SigningKeys keys, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                return Usage(error, $"unexpected argument '{args[i]}'");
            options[args[i][2..]] = args[++i];
        }
        var role = options.GetValueOrDefault("role", Roles.Customer).ToUpperInvariant();
        if (!Roles.All.Contains(role)) return Usage(error, $"--role must be one of {string.Join(", ", Roles.All)}");
        if (!int.TryParse(options.GetValueOrDefault("minutes", "60"), out var minutes) || minutes <= 0)
            return Usage(error, "--minutes must be a positive whole number");

        var id = options.GetValueOrDefault("id", "u1");
        var claims = new Dictionary<string, object>
        {
            [TokenClaims.Id] = id,
            [TokenClaims.Username] = options.GetValueOrDefault("username", id),
            [TokenClaims.Role] = role,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (options.TryGetValue("email", out var email)) claims[TokenClaims.Email] = email;
        output.WriteLine(Mint(keys.DefaultKey, claims, TimeSpan.FromMinutes(minutes)));
        return 0;
    }

    public static string Mint(SecurityKey key, IDictionary<string, object> claims, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"token: {problem}");
        error.WriteLine("usage: token --role TEMP_USER|CUSTOMER|AGENT|ADMIN --id ID --username NAME [--email EMAIL] [--minutes 60]");
        return 2;
    }
}
