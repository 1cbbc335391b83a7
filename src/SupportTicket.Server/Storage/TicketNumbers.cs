namespace SupportTicket.Server.Storage;

/// <summary>
/// The next ticket number, taken inside the create's transaction.
/// SQLite: the <c>counters</c> row, bumped by the one writer, so numbers are gap-free and follow commit order.
/// PostgreSQL: the <c>ticket_number_seq</c> sequence (migration TicketNumberSequence), taken by the create statement
/// itself (<see cref="TicketSql"/>). Bumping the counters row held its
/// row lock across the insert and the fsync'd commit, which serialized every create behind the previous commit (the
/// bench: ~500 creates/s, p99 350–440 ms). <c>nextval</c> takes no lock that lasts past the call; the price is that a
/// create that fails after taking its number (a lost idempotency race, a failed insert) leaves a gap, and two creates
/// may commit in the opposite order of their numbers. Numbers stay unique and increasing in the order they are taken.
/// </summary>
internal static class TicketNumbers
{
    public const string Sequence = "ticket_number_seq";

    /// <summary>SQLite's next number.</summary>
    public static async Task<long> NextAsync(AppDbContext db, CancellationToken ct)
    {
        await using var next = await Sql.CommandAsync(db, "UPDATE counters SET value = value + 1 WHERE name = 'ticket_number' RETURNING value", ct);
        return Convert.ToInt64(await next.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
