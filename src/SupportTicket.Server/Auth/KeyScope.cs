namespace SupportTicket.Server.Auth;

/// <summary>
/// What one trusted backend's key may say: its issuer (whose user ids it speaks for) and the roles it may grant.
/// Keys without a scope (the default key, rotation keys) are the primary backend and may say anything.
/// </summary>
public sealed record KeyScope(string Kid, string? Issuer, IReadOnlySet<string>? Roles)
{
    /// <summary>The user id as this server knows it: a scoped key's ids live in their issuer's namespace.</summary>
    public string UserId(string id) => Issuer is null ? id : $"{Issuer}:{id}";

    public static KeyScope? From(SigningKeyOptions key, string setting)
    {
        var issuer = string.IsNullOrWhiteSpace(key.Issuer) ? null : key.Issuer.Trim();
        if (issuer is not null && issuer.Contains(':'))
            throw new ConfigurationException($"{setting}:Issuer may not contain ':' (it prefixes user ids as issuer:id)");
        var roles = (key.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var role in roles.Where(r => !Auth.Roles.All.Contains(r)))
            throw new ConfigurationException($"{setting}:Roles: '{role}' is not one of {string.Join(", ", Auth.Roles.All)}");
        return issuer is null && roles.Count == 0 ? null : new KeyScope(key.Kid, issuer, roles.Count == 0 ? null : roles);
    }
}
