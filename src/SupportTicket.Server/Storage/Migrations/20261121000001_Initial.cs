using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// Hand-written: the EF design-time tools cannot be restored here. Column types are left to each provider's mapping of
// the CLR type, so the same migration runs on SQLite and PostgreSQL.
[DbContext(typeof(AppDbContext))]
[Migration("20261121000001_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("counters", t => new
        {
            name = t.Column<string>(nullable: false),
            value = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_counters", x => x.name));
        b.Sql("INSERT INTO counters (name, value) VALUES ('ticket_number', 0)");

        b.CreateTable("tickets", t => new
        {
            id = t.Column<string>(nullable: false),
            number = t.Column<long>(nullable: false),
            user_id = t.Column<string>(nullable: false),
            username = t.Column<string>(nullable: false),
            email = t.Column<string>(nullable: true),
            topic = t.Column<string>(nullable: false),
            description = t.Column<string>(nullable: false),
            status = t.Column<string>(nullable: false),
            user_role = t.Column<string>(nullable: false),
            support_role = t.Column<string>(nullable: false),
            issue_level = t.Column<string>(nullable: false),
            assignee_id = t.Column<string>(nullable: true),
            created_at = t.Column<long>(nullable: false),
            updated_at = t.Column<long>(nullable: false),
            closed_at = t.Column<long>(nullable: true),
            close_reason = t.Column<string>(nullable: true),
            last_seq = t.Column<long>(nullable: false),
            idempotency_key = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_tickets", x => x.id));
        b.CreateIndex("ix_tickets_number", "tickets", "number", unique: true);
        b.CreateIndex("ix_tickets_user_id_number", "tickets", ["user_id", "number"]);
        b.CreateIndex("ix_tickets_status_number", "tickets", ["status", "number"]);
        b.CreateIndex("ix_tickets_issue_level_number", "tickets", ["issue_level", "number"]);
        b.CreateIndex("ix_tickets_assignee_id_number", "tickets", ["assignee_id", "number"]);
        b.CreateIndex("ix_tickets_user_id_idempotency_key", "tickets", ["user_id", "idempotency_key"],
            unique: true, filter: "idempotency_key IS NOT NULL");

        b.CreateTable("messages", t => new
        {
            id = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: false),
            seq = t.Column<long>(nullable: false),
            author_id = t.Column<string>(nullable: false),
            author_name = t.Column<string>(nullable: false),
            author_role = t.Column<string>(nullable: false),
            content = t.Column<string>(nullable: false),
            attachments = t.Column<string>(nullable: false),
            @internal = t.Column<bool>(nullable: false),
            source = t.Column<string>(nullable: false),
            external_id = t.Column<string>(nullable: true),
            created_at = t.Column<long>(nullable: false),
            updated_at = t.Column<long>(nullable: false),
            idempotency_key = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_messages", x => x.id);
            t.ForeignKey("fk_messages_tickets_ticket_id", x => x.ticket_id, "tickets", "id", onDelete: ReferentialAction.Cascade);
        });
        b.CreateIndex("ix_messages_ticket_id_seq", "messages", ["ticket_id", "seq"], unique: true);
        b.CreateIndex("ix_messages_author_id_idempotency_key", "messages", ["author_id", "idempotency_key"],
            unique: true, filter: "idempotency_key IS NOT NULL");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropTable("messages");
        b.DropTable("tickets");
        b.DropTable("counters");
    }
}
