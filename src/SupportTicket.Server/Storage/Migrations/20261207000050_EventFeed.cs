using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace SupportTicket.Server.Storage.Migrations;

// On PostgreSQL every row records its writing transaction's id by a column default; SQLite stores 0. AUTOINCREMENT
// on SQLite: ids are never reused after retention empties the table, so a reader's cursor never points past a new event.
[DbContext(typeof(AppDbContext))]
[Migration("20261207000050_EventFeed")]
public sealed class EventFeed : Migration
{
    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void Up(MigrationBuilder b)
    {
        b.AddColumn<long>("last_event_seq", "tickets", nullable: false, defaultValue: 0L);
        b.CreateTable("events", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            event_id = t.Column<string>(nullable: false),
            type = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: false),
            seq = t.Column<long>(nullable: false),
            created = t.Column<long>(nullable: false),
            data = t.Column<string>(nullable: false),
            xid = b.ActiveProvider == Postgres
                ? t.Column<long>(nullable: false, defaultValueSql: "(pg_current_xact_id()::text::bigint)")
                : t.Column<long>(nullable: false, defaultValue: 0L),
        }, constraints: t => t.PrimaryKey("pk_events", x => x.id));
        b.CreateIndex("ix_events_event_id", "events", "event_id", unique: true);
        b.CreateIndex("ix_events_xid_id", "events", ["xid", "id"]);
        b.CreateIndex("ix_events_ticket_id_seq", "events", ["ticket_id", "seq"], unique: true);
        b.CreateIndex("ix_events_created", "events", "created");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropTable("events");
        b.Sql("ALTER TABLE tickets DROP COLUMN last_event_seq");
    }
}
