using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SupportTicket.Server.Auth;

public sealed class SigningKeys
{
    public required SymmetricSecurityKey DefaultKey { get; init; }
    public required IReadOnlyDictionary<string, SecurityKey> ByKid { get; init; }

    public required IReadOnlyDictionary<string, KeyScope> Scopes { get; init; }
    public bool IsGeneratedDevelopmentKey { get; init; }
    public string? GeneratedKeyFile { get; init; }

    public IEnumerable<SecurityKey> Resolve(string? kid) =>
        kid is not null && ByKid.TryGetValue(kid, out var key) ? [key] : [DefaultKey];

    public KeyScope? ScopeOf(SecurityKey? key) =>
        key is not null && !ReferenceEquals(key, DefaultKey) && key.KeyId is { } kid ? Scopes.GetValueOrDefault(kid) : null;

    public static SigningKeys Load(AuthOptions options, bool development, string dataDirectory)
    {
        var (secret, generatedFile) = DefaultSecret(options, development, dataDirectory);
        var byKid = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        var scopes = new Dictionary<string, KeyScope>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var k = options.Keys[i];
            var setting = $"Auth:Keys:{i}";
            if (string.IsNullOrWhiteSpace(k.Kid))
                throw new ConfigurationException($"{setting}:Kid is required");
            // A second key under one kid would silently replace the first, or inherit its scope.
            if (byKid.ContainsKey(k.Kid))
                throw new ConfigurationException($"{setting}:Kid '{k.Kid}' is already used by another key in Auth:Keys");
            byKid[k.Kid] = (k.Secret, k.PublicKeyPem) switch
            {
                ({ } s, null) => Symmetric(s, $"{setting}:Secret"),
                (null, { } pem) => Asymmetric(pem, $"{setting}:PublicKeyPem"),
                _ => throw new ConfigurationException($"{setting}: set exactly one of Secret or PublicKeyPem"),
            };
            byKid[k.Kid].KeyId = k.Kid;
            if (KeyScope.From(k, setting) is { } scope) scopes[k.Kid] = scope;
        }
        return new SigningKeys
        {
            DefaultKey = Symmetric(secret, "JWT_SECRET_KEY"),
            ByKid = byKid,
            Scopes = scopes,
            IsGeneratedDevelopmentKey = generatedFile is not null,
            GeneratedKeyFile = generatedFile,
        };
    }

    private static (string Secret, string? GeneratedFile) DefaultSecret(AuthOptions options, bool development, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.SecretKey)) return (options.SecretKey, null);
        if (!development)
            throw new ConfigurationException($"JWT_SECRET_KEY is required in PRODUCTION mode (at least {AuthOptions.MinSecretBytes} bytes)");

        // Development needs no setup: one random key, kept so tokens survive a restart.
        var file = options.DevelopmentKeyFile ?? Path.Combine(dataDirectory, "jwt-development.key");
        if (File.Exists(file)) return (File.ReadAllText(file).Trim(), file);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        // Readable by the server's own user only: anyone who can read it can mint tokens.
        var access = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) access.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(file, System.Text.Encoding.UTF8, access)) writer.Write(key);
        return (key, file);
    }

    private static SymmetricSecurityKey Symmetric(string secret, string setting)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < AuthOptions.MinSecretBytes)
            throw new ConfigurationException($"{setting} must be at least {AuthOptions.MinSecretBytes} bytes long (it has {bytes.Length})");
        return new SymmetricSecurityKey(bytes);
    }

    private static SecurityKey Asymmetric(string pem, string setting)
    {
        try
        {
            if (pem.Contains("EC ", StringComparison.Ordinal) || pem.Contains("ecdsa", StringComparison.OrdinalIgnoreCase))
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                return new ECDsaSecurityKey(ec);
            }
            var rsa = RSA.Create();
            try { rsa.ImportFromPem(pem); }
            catch (ArgumentException)
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                return new ECDsaSecurityKey(ec);
            }
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new ConfigurationException($"{setting} is not a valid RSA or EC public key in PEM form");
        }
    }
}
