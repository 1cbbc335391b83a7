namespace SupportTicket.Server.Auth.Revocations;

// One revoked token (Jti) or every token of a user issued before RevokedAt (UserId, the id as this server knows it).
// Kept until the tokens it covers have expired anyway.
public sealed class Revocation
{
    public string Id { get; set; } = "";
    public string? Jti { get; set; }
    public string? UserId { get; set; }
    public long RevokedAt { get; set; }
    public long ExpiresAt { get; set; }
    public string RevokedBy { get; set; } = "";

    public RevocationDto ToDto() => new(Id, Jti, UserId, RevokedAt, ExpiresAt, RevokedBy);
}

public sealed record RevocationDto(string Id, string? Jti, string? UserId, long RevokedAt, long ExpiresAt, string RevokedBy);

public sealed record RevokeRequest(string? Jti, string? UserId);
