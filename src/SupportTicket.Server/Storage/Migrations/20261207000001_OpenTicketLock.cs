using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// PostgreSQL only: the function that counts a customer's open tickets under a per-customer lock (OpenTickets), so
// creates and reopens on any node hold the open-ticket cap exactly. SQLite has one writer and needs none.
[DbContext(typeof(AppDbContext))]
[Migration("20261207000001_OpenTicketLock")]
public sealed class OpenTicketLock : Migration
{
    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void Up(MigrationBuilder b)
    {
        if (b.ActiveProvider != Postgres) return;
        // "status <> 'CLOSED'" is TicketAccess.IsOpen; the cap tests on PostgreSQL pin the two together.
        b.Sql($"CREATE OR REPLACE FUNCTION {OpenTickets.Function}(owner text) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$ " +
              $"BEGIN PERFORM pg_advisory_xact_lock({OpenTickets.LockSpace}, hashtext(owner)); " +
              "RETURN (SELECT count(*) FROM tickets WHERE user_id = owner AND status <> 'CLOSED'); END $$");
    }

    protected override void Down(MigrationBuilder b)
    {
        if (b.ActiveProvider != Postgres) return;
        b.Sql($"DROP FUNCTION {OpenTickets.Function}(text)");
    }
}
