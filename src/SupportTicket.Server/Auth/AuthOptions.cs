using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinSecretBytes = 32;

    /// <summary>JWT_SECRET_KEY: the default HS256 key, used for tokens with no kid or a kid no other key claims.</summary>
    public string? SecretKey { get; set; }

    /// <summary>JWT_ISSUER / JWT_AUDIENCE: checked only when set. Several values may be comma-separated.</summary>
    public string? Issuer { get; set; }
    public string? Audience { get; set; }

    /// <summary>Further keys by kid, for rotation and for several trusted backends.</summary>
    public List<SigningKeyOptions> Keys { get; set; } = [];

    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Longest lifetime a token may claim (exp - iat, or exp - now without iat): a leaked token must end.</summary>
    public int MaxTokenLifetimeSeconds { get; set; } = 86_400;

    /// <summary>How often each node reloads the revocation list, i.e. how soon a revocation made elsewhere holds here.</summary>
    public int RevocationRefreshSeconds { get; set; } = 2;

    /// <summary>Where development mode keeps its generated key; defaults to beside the SQLite file.</summary>
    public string? DevelopmentKeyFile { get; set; }
}

public sealed class SigningKeyOptions
{
    public string Kid { get; set; } = "";

    /// <summary>HS256 shared secret (at least 32 bytes).</summary>
    public string? Secret { get; set; }

    /// <summary>RS256 / ES256 public key in PEM form.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>
    /// The backend this key belongs to. When set, its tokens must carry this <c>iss</c>, and their user ids are
    /// scoped as <c>{Issuer}:{id}</c>, so a second backend cannot speak for the first one's users. Required with
    /// <see cref="Roles"/>, and only with it; a key with neither is the primary backend's (rotation).
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Comma-separated roles this key may grant. Required with <see cref="Issuer"/>, and only with it.</summary>
    public string? Roles { get; set; }
}

/// <summary>
/// Every bad number at once, in one line. The keys themselves are parsed (and refused with a line naming the key)
/// by <see cref="SigningKeys.Load"/>, which StartupChecks runs at startup: whether a missing secret is an error
/// depends on the environment, and a development key is generated there.
/// </summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.MaxTokenLifetimeSeconds < 60) failures.Add("Auth:MaxTokenLifetimeSeconds must be at least 60");
        if (options.RevocationRefreshSeconds is < 1 or > 300) failures.Add("Auth:RevocationRefreshSeconds must be between 1 and 300");
        if (options.ClockSkewSeconds is < 0 or > 300) failures.Add("Auth:ClockSkewSeconds must be between 0 and 300");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
