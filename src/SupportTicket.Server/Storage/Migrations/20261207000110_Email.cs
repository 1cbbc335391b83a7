using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>Mail (issue #27): recipients and preferences, the mail outbox, the inbound Message-IDs, the signing key.</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000110_Email")]
public sealed class Email : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("email_recipients", t => new
        {
            user_id = t.Column<string>(nullable: false),
            email = t.Column<string>(nullable: true),
            notifications = t.Column<bool>(nullable: false),
            updated_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_email_recipients", x => x.user_id));

        b.CreateTable("email_outbox", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            message_id = t.Column<string>(nullable: false),
            kind = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: true),
            user_id = t.Column<string>(nullable: true),
            to_address = t.Column<string>(nullable: false),
            from_seq = t.Column<long>(nullable: false),
            upto_seq = t.Column<long>(nullable: false),
            subject = t.Column<string>(nullable: true),
            body = t.Column<string>(nullable: true),
            in_reply_to = t.Column<string>(nullable: true),
            state = t.Column<string>(nullable: false),
            attempts = t.Column<int>(nullable: false),
            next_attempt_at = t.Column<long>(nullable: false),
            created_at = t.Column<long>(nullable: false),
            sent_at = t.Column<long>(nullable: true),
            last_error = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_email_outbox", x => x.id));
        b.CreateIndex("ix_email_outbox_message_id", "email_outbox", "message_id", unique: true);
        b.CreateIndex("ix_email_outbox_state_next_attempt_at", "email_outbox", ["state", "next_attempt_at"]);

        b.CreateTable("email_inbound", t => new
        {
            message_id = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: true),
            outcome = t.Column<string>(nullable: false),
            received_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_email_inbound", x => x.message_id));

        b.CreateTable("email_settings", t => new
        {
            name = t.Column<string>(nullable: false),
            value = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_email_settings", x => x.name));
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropTable("email_settings");
        b.DropTable("email_inbound");
        b.DropTable("email_outbox");
        b.DropTable("email_recipients");
    }
}
