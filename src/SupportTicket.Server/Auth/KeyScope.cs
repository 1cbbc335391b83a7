namespace SupportTicket.Server.Auth;

// What one trusted backend's key may say: its issuer (whose user ids it speaks for) and the roles it may grant. Keys
// without a scope (the default key, rotation keys) are the primary backend and may say anything; a key with a scope has
// both, since either alone would trust more than it says.
public sealed record KeyScope(string Kid, string Issuer, IReadOnlySet<string> Roles)
{
    public string UserId(string id) => $"{Issuer}:{id}";

    public static KeyScope? From(SigningKeyOptions key, string setting)
    {
        var issuer = string.IsNullOrWhiteSpace(key.Issuer) ? null : key.Issuer.Trim();
        if (issuer is not null && issuer.Contains(':'))
            throw new ConfigurationException($"{setting}:Issuer may not contain ':' (it prefixes user ids as issuer:id)");
        var roles = (key.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var role in roles.Where(r => !Auth.Roles.All.Contains(r)))
            throw new ConfigurationException($"{setting}:Roles: '{role}' is not one of {string.Join(", ", Auth.Roles.All)}");
        // Half a scope widens trust without saying so: an issuer with no roles could grant ADMIN, roles with no
        // issuer leave the key speaking for the primary backend's user ids. Both halves, or neither.
        if (issuer is not null && roles.Count == 0)
            throw new ConfigurationException($"{setting}:Roles is required when {setting}:Issuer is set: list the roles that backend may grant (e.g. TEMP_USER,CUSTOMER)");
        if (issuer is null && roles.Count > 0)
            throw new ConfigurationException($"{setting}:Issuer is required when {setting}:Roles is set: without it the key's user ids are not scoped and it speaks for the primary backend's users");
        return issuer is null ? null : new KeyScope(key.Kid, issuer, roles);
    }
}
