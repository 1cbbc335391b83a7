using Microsoft.EntityFrameworkCore;

namespace SupportTicket.Server.EventFeed;

/// <summary>
/// One page of the feed after a cursor, oldest first, such that a reader paging with the cursor never misses an
/// event and never sees one twice while others write.
/// PostgreSQL: ids come from a sequence, and a transaction that took id 7 may commit after one that took id 8 was
/// read; so the order is (writing transaction id, id) and a page only reaches up to the oldest transaction still
/// running (<c>pg_snapshot_xmin</c>): everything below it has committed or never will, and every transaction that
/// has not yet committed has an xid at or above it, so it sorts after any cursor handed out. The price is latency:
/// a long-running transaction holds the feed back until it ends.
/// SQLite: one writer at a time, so ids are handed out in commit order and id order is enough (xid is 0).
/// </summary>
public static class EventFeedQuery
{
    private const string VisiblePostgres =
        "SELECT * FROM events WHERE xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    public static async Task<(List<EventRow> Page, bool More)> PageAsync(
        Storage.AppDbContext db, EventCursor after, int limit, IReadOnlyCollection<string>? types, string? ticketId, CancellationToken ct)
    {
        var query = After(db, after);
        if (types is { Count: > 0 }) query = query.Where(e => types.Contains(e.Type));
        if (ticketId is not null) query = query.Where(e => e.TicketId == ticketId);
        var rows = await query.OrderBy(e => e.Xid).ThenBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return (rows, more);
    }

    /// <summary>
    /// The visible events after <paramref name="after"/>, unordered: order by (Xid, Id) and page as above. The
    /// redundant <c>Xid &gt;= after.Xid</c> is the index's lower bound: without it PostgreSQL's plan read the (xid, id)
    /// index from its first entry and filtered the OR, so every page cost the whole feed (issue #30).
    /// </summary>
    public static IQueryable<EventRow> After(Storage.AppDbContext db, EventCursor after) =>
        (db.Database.IsNpgsql() ? db.Events.FromSqlRaw(VisiblePostgres) : db.Events)
            .Where(e => e.Xid >= after.Xid && (e.Xid > after.Xid || (e.Xid == after.Xid && e.Id > after.Id)));

    /// <summary>
    /// The feed's end now: a new subscriber starts here and receives what is written from now on. On PostgreSQL just
    /// below the oldest running transaction, so an event of one still running is not skipped.
    /// </summary>
    public static async Task<EventCursor> EndAsync(Storage.AppDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
            return new EventCursor(0, await db.Events.MaxAsync(e => (long?)e.Id, ct) ?? 0);
        var xmin = await db.Database.SqlQueryRaw<long>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(ct);
        return new EventCursor(xmin - 1, long.MaxValue);
    }
}
