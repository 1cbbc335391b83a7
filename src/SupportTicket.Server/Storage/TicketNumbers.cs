namespace SupportTicket.Server.Storage;

// SQLite: the counters row, bumped by the one writer: gap-free, in commit order. PostgreSQL: the ticket_number_seq
// sequence, taken by the create statement (TicketSql). The counters row held its lock across the fsync'd commit and
// serialized every create (~500 creates/s, p99 350–440 ms); nextval holds none, at the price of a gap after a failed
// create and numbers that may commit out of order. Numbers stay unique and increasing.
internal static class TicketNumbers
{
    public const string Sequence = "ticket_number_seq";

    public static async Task<long> NextAsync(AppDbContext db, CancellationToken ct)
    {
        await using var next = await Sql.CommandAsync(db, "UPDATE counters SET value = value + 1 WHERE name = 'ticket_number' RETURNING value", ct);
        return Convert.ToInt64(await next.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
