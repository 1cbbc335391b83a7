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
