using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// PostgreSQL only: ticket numbers from a sequence instead of the counters row (see TicketNumbers), continuing after the
// last number the row handed out. SQLite keeps the row. The row stays on PostgreSQL too, no longer used; nodes of an
// older version must not run against the database once this has run (they would hand out numbers from the row again,
// and the unique index on tickets.number would refuse their duplicates).
[DbContext(typeof(AppDbContext))]
[Migration("20261202000001_TicketNumberSequence")]
public sealed class TicketNumberSequence : Migration
{
    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void Up(MigrationBuilder b)
    {
        if (b.ActiveProvider != Postgres) return;
        b.Sql($"CREATE SEQUENCE {TicketNumbers.Sequence} AS bigint MINVALUE 1");
        b.Sql($"SELECT setval('{TicketNumbers.Sequence}', (SELECT value FROM counters WHERE name = 'ticket_number') + 1, false)");
    }

    protected override void Down(MigrationBuilder b)
    {
        if (b.ActiveProvider != Postgres) return;
        b.Sql("UPDATE counters SET value = (SELECT COALESCE(MAX(number), 0) FROM tickets) WHERE name = 'ticket_number'");
        b.Sql($"DROP SEQUENCE {TicketNumbers.Sequence}");
    }
}
