using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// Counted so the open-ticket cap is exact for creates and reopens. SQLite: one writer, so a count in the write's
// transaction is exact. PostgreSQL: Function first takes a transaction advisory lock on the customer, then counts
// with a fresh snapshot (a VOLATILE function's queries each take one), so a concurrent create on any node waits and
// then sees its ticket; a lock inside the counting statement would not do, its snapshot predates the wait.
internal static class OpenTickets
{
    public const string Function = "open_tickets_locked";

    // The lock's first key: the two-key advisory space, which PostgreSQL keeps apart from the one-key space of the
    // leader lease (Cluster/PostgresLeaderLease). The second key is the customer's id hashed.
    public const int LockSpace = 0x53540001;

    // SQLite's count as one prepared statement (SqliteTicketBatcher): "status <> 'CLOSED'" is TicketAccess.IsOpen, as in
    // Function's body (migration 20261207000001); the cap tests on both stores pin them together.
    public const string SqliteCount = "SELECT count(*) FROM tickets WHERE user_id = @user_id AND status <> 'CLOSED'";

    // The owner's open tickets, inside the caller's transaction; on PostgreSQL it also holds the owner's lock until
    // that transaction ends.
    public static async Task<long> CountAsync(AppDbContext db, string ownerId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return await db.Tickets.Where(TicketAccess.IsOpen).CountAsync(t => t.UserId == ownerId, ct);
        await using var command = await Sql.CommandAsync(db, $"SELECT {Function}(@owner)", ct, ("@owner", ownerId));
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
