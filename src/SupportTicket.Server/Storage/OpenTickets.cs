using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

/// <summary>
/// How many open tickets a customer holds, counted so that the open-ticket cap is exact for creates and reopens
/// alike. SQLite: one writer (<see cref="WriteGate"/> has one stripe), so a count inside the write's transaction
/// is exact. PostgreSQL: the function <see cref="Function"/> (migration OpenTicketLock) first takes a transaction
/// advisory lock on the customer, then counts with a fresh snapshot (a VOLATILE function's queries each take one),
/// so a create or reopen of the same customer on any node waits for this transaction and then sees its ticket.
/// A lock inside the counting statement alone would not do: that statement's snapshot predates the wait.
/// </summary>
internal static class OpenTickets
{
    public const string Function = "open_tickets_locked";

    /// <summary>
    /// The lock's first key: the two-key advisory space, which PostgreSQL keeps apart from the one-key space of the
    /// leader lease (<c>Cluster/PostgresLeaderLease</c>). The second key is the customer's id hashed.
    /// </summary>
    public const int LockSpace = 0x53540001;

    /// <summary>
    /// The owner's open tickets, inside the caller's transaction; on PostgreSQL it also holds the owner's lock
    /// until that transaction ends.
    /// </summary>
    public static async Task<long> CountAsync(AppDbContext db, string ownerId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return await db.Tickets.Where(TicketAccess.IsOpen).CountAsync(t => t.UserId == ownerId, ct);
        await using var command = await Sql.CommandAsync(db, $"SELECT {Function}(@owner)", ct, ("@owner", ownerId));
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
