using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Cluster;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

public sealed record DiscordStatusDto(
    bool Enabled, bool Leader, bool GatewayConnected, long? LastEventAt, bool Unauthorized, string? GatewayError,
    int OutboxDepth, long? OutboxOldestAgeSeconds, IReadOnlyList<ParkedRowDto> Parked);

public sealed record ParkedRowDto(long Id, string TicketId, string Kind, string? MessageId, int Attempts, long? ParkedAt, string? LastError);

public sealed class DiscordStatus(bool enabled, IServiceProvider services)
{
    public async Task<DiscordStatusDto> ReadAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!enabled) return new DiscordStatusDto(false, false, false, null, false, null, 0, null, []);
        var state = services.GetRequiredService<DiscordBotState>();
        var lease = services.GetRequiredService<ILeaderLease>();
        var depth = await db.Outbox.CountAsync(o => o.ParkedAt == null, ct);
        var oldest = await db.Outbox.Where(o => o.ParkedAt == null).OrderBy(o => o.Id).Select(o => (long?)o.CreatedAt).FirstOrDefaultAsync(ct);
        var parked = await db.Outbox.Where(o => o.ParkedAt != null).OrderBy(o => o.Id).Take(100)
            .Select(o => new ParkedRowDto(o.Id, o.TicketId, o.Kind, o.MessageId, o.Attempts, o.ParkedAt / 1000, o.LastError)).ToListAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return new DiscordStatusDto(true, lease.IsLeader, state.Connected, state.LastEventAt?.ToUnixTimeSeconds(), state.Unauthorized,
            state.GatewayError, depth, oldest is { } o ? Math.Max(0, (now - o) / 1000) : null, parked);
    }
}
