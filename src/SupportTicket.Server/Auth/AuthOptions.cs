using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinSecretBytes = 32;

    public string? SecretKey { get; set; }

    public string? Issuer { get; set; }
    public string? Audience { get; set; }

    public List<SigningKeyOptions> Keys { get; set; } = [];

    public int ClockSkewSeconds { get; set; } = 30;

    public int MaxTokenLifetimeSeconds { get; set; } = 86_400;

    public int RevocationRefreshSeconds { get; set; } = 2;

    public string? DevelopmentKeyFile { get; set; }
}

public sealed class SigningKeyOptions
{
    public string Kid { get; set; } = "";

    public string? Secret { get; set; }

    public string? PublicKeyPem { get; set; }

    // The backend this key belongs to. When set, its tokens must carry this iss, and their user ids are scoped as
    // {Issuer}:{id}, so a second backend cannot speak for the first one's users. Required with Roles, and only with it;
    // a key with neither is the primary backend's (rotation).
    public string? Issuer { get; set; }

    public string? Roles { get; set; }
}

// Every bad number at once, in one line. The keys themselves are parsed (and refused with a line naming the key) by
// SigningKeys.Load, which StartupChecks runs at startup: whether a missing secret is an error depends on the
// environment, and a development key is generated there.
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
