using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Idempotency;

public interface IIdempotent
{
    string Id { get; }
    long CreatedAt { get; }
    string? IdempotencyKey { get; }
}

// The one home of Idempotency-Keys: their format, the 24 h window, finding the earlier result of a key (a key past the
// window is freed on the way), and the expiry of old keys (IdempotencyExpiry). Ticket creation and message posts both
// call it.
public sealed class IdempotencyKeys(AppDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static ApiError? Validate(string? key) =>
        key is null || (key.Length is > 0 and <= 255 && key.All(c => c is > ' ' and <= '~'))
            ? null
            : ApiError.BadRequest("Invalid Idempotency-Key header",
                [new("Idempotency-Key", "Idempotency-Key must be 1 to 255 visible ASCII characters", "format")]);

    public static ApiError Reused() => ApiError.Conflict("Idempotency-Key was already used for a different request");

    // What caller's earlier request with key stored, or null when there is none or it is older than the window (then
    // the key is freed, so the new request may use it).
    public async Task<T?> FindAsync<T>(DbSet<T> set, Expression<Func<T, bool>> caller, string key, CancellationToken ct)
        where T : class, IIdempotent
    {
        var existing = await set.Where(caller).FirstOrDefaultAsync(x => EF.Property<string?>(x, nameof(IIdempotent.IdempotencyKey)) == key, ct);
        if (existing is null) return null;
        if (existing.CreatedAt >= Cutoff) return existing;
        var id = existing.Id;
        await set.Where(x => EF.Property<string>(x, nameof(IIdempotent.Id)) == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<string?>(x, nameof(IIdempotent.IdempotencyKey)), (string?)null), ct);
        return null;
    }

    public async Task<int> ExpireAsync(CancellationToken ct) =>
        await ExpireAsync(db.Tickets, ct) + await ExpireAsync(db.Messages, ct);

    private Task<int> ExpireAsync<T>(DbSet<T> set, CancellationToken ct) where T : class, IIdempotent
    {
        var cutoff = Cutoff;
        return set.Where(x => EF.Property<string?>(x, nameof(IIdempotent.IdempotencyKey)) != null && EF.Property<long>(x, nameof(IIdempotent.CreatedAt)) < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<string?>(x, nameof(IIdempotent.IdempotencyKey)), (string?)null), ct);
    }

    private long Cutoff => clock.GetUtcNow().ToUnixTimeSeconds() - (long)Window.TotalSeconds;
}
