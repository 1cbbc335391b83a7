namespace SupportTicket.Server.Auth;

/// <summary>
/// The claims the server acts on, read once from the token's payload by <see cref="TokenShape"/> under one rule:
/// exact names (<c>role</c>, never <c>Role</c>). Everything after the signature check reads these values, never the
/// JWT library's claims, so no second reader with another comparison rule can see a different user or role.
/// </summary>
public sealed record TokenPayload(
    string? Id, string? Subject, string? Username, string? Email, string? Role, string? Issuer, string? Jti, long? IssuedAtSeconds)
{
    /// <summary>The token's own id: <c>id</c>, or <c>sub</c> when there is no <c>id</c>.</summary>
    public string? RawId => Id ?? Subject;

    public DateTimeOffset? IssuedAt => IssuedAtSeconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>Mutable while the one pass over the payload fills it.</summary>
    internal struct Builder
    {
        public string? Id, Subject, Username, Email, Role, Issuer, Jti;
        public long? IssuedAt;

        public readonly TokenPayload Build() => new(Id, Subject, Username, Email, Role, Issuer, Jti, IssuedAt);
    }
}
