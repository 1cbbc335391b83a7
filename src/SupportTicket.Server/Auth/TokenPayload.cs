namespace SupportTicket.Server.Auth;

// The claims the server acts on, read once from the token's payload by TokenShape under one rule: exact names (role,
// never Role). Everything after the signature check reads these values, never the JWT library's claims, so no second
// reader with another comparison rule can see a different user or role.
public sealed record TokenPayload(
    string? Id, string? Subject, string? Username, string? Email, string? Role, string? Issuer, string? Jti, long? IssuedAtSeconds)
{
    public string? RawId => Id ?? Subject;

    public DateTimeOffset? IssuedAt => IssuedAtSeconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    internal struct Builder
    {
        public string? Id, Subject, Username, Email, Role, Issuer, Jti;
        public long? IssuedAt;

        public readonly TokenPayload Build() => new(Id, Subject, Username, Email, Role, Issuer, Jti, IssuedAt);
    }
}
