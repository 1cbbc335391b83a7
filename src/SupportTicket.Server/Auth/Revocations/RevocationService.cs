using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Api;

namespace SupportTicket.Server.Auth.Revocations;

public sealed class RevocationService(AppDbContext db, WriteGate gate, RevocationCache cache, IOptions<AuthOptions> options, TimeProvider clock)
{
    // Revocations are not about a ticket; they take a stripe of their own.
    internal const string GateKey = "revocations";

    public async Task<Result<RevocationDto?>> RevokeAsync(CurrentUser admin, RevokeRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var jti = FieldRules.Id(errors, "jti", request.Jti);
        var userId = FieldRules.Id(errors, "user_id", request.UserId);
        if (errors.Count == 0 && (jti is null) == (userId is null))
            errors.Add(new("body", "Give exactly one of jti (one token) or user_id (every token of that user)", "one_of"));
        if (errors.Count > 0) return ApiError.Invalid(errors);

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var expires = now + CoverSeconds(options.Value);
        using var _ = await gate.EnterAsync(GateKey, ct);
        if (jti is not null && await db.Revocations.AnyAsync(r => r.Jti == jti && r.ExpiresAt > now, ct)) return (RevocationDto?)null;
        var revocation = new Revocation
        {
            Id = Guid.NewGuid().ToString("N"), Jti = jti, UserId = userId, RevokedAt = now, ExpiresAt = expires, RevokedBy = admin.Id,
        };
        db.Revocations.Add(revocation);
        await db.SaveChangesAsync(ct);
        cache.Add(revocation);
        return revocation.ToDto();
    }

    // How long a revocation must hold: until every token accepted at the moment of revoking has expired. Such a token
    // has iat at most now + skew, exp at most iat + lifetime + skew, and is accepted until exp + skew.
    internal static long CoverSeconds(AuthOptions auth) => auth.MaxTokenLifetimeSeconds + 3L * auth.ClockSkewSeconds;

    public async Task<List<RevocationDto>> ActiveAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var rows = await db.Revocations.Where(r => r.ExpiresAt > now).OrderByDescending(r => r.RevokedAt).ToListAsync(ct);
        return rows.ConvertAll(r => r.ToDto());
    }
}
