namespace SupportTicket.Server.Storage;

// SQLite: the counters row, bumped by the one writer (SqliteTicketBatcher): gap-free, in commit order. PostgreSQL: the
// ticket_number_seq sequence, taken by the create statement (TicketSql). The counters row held its lock across the
// fsync'd commit and serialized every create (~500 creates/s, p99 350–440 ms); nextval holds none, at the price of a
// gap after a failed create and numbers that may commit out of order. Numbers stay unique and increasing.
internal static class TicketNumbers
{
    public const string Sequence = "ticket_number_seq";

    public const string SqliteNext = "UPDATE counters SET value = value + 1 WHERE name = 'ticket_number' RETURNING value";
}
