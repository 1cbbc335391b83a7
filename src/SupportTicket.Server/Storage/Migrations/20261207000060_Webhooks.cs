using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace SupportTicket.Server.Storage.Migrations;

[DbContext(typeof(AppDbContext))]
[Migration("20261207000060_Webhooks")]
public sealed class Webhooks : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("webhook_endpoints", t => new
        {
            id = t.Column<string>(nullable: false),
            url = t.Column<string>(nullable: false),
            events = t.Column<string>(nullable: false),
            description = t.Column<string>(nullable: true),
            enabled = t.Column<bool>(nullable: false),
            secret = t.Column<string>(nullable: false),
            previous_secret = t.Column<string>(nullable: true),
            previous_secret_expires_at = t.Column<long>(nullable: true),
            source = t.Column<string>(nullable: false),
            created_at = t.Column<long>(nullable: false),
            failing_since = t.Column<long>(nullable: true),
            disabled_reason = t.Column<string>(nullable: true),
            cursor_xid = t.Column<long>(nullable: false),
            cursor_id = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_webhook_endpoints", x => x.id));

        b.CreateTable("webhook_queue", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            endpoint_id = t.Column<string>(nullable: false),
            event_row_id = t.Column<long>(nullable: false),
            order_key = t.Column<string>(nullable: false),
            attempts = t.Column<int>(nullable: false),
            next_attempt_at = t.Column<long>(nullable: false),
            enqueued_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_webhook_queue", x => x.id));
        b.CreateIndex("ix_webhook_queue_endpoint_id_order_key_id", "webhook_queue", ["endpoint_id", "order_key", "id"]);

        b.CreateTable("webhook_deliveries", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            endpoint_id = t.Column<string>(nullable: false),
            event_id = t.Column<string>(nullable: false),
            event_type = t.Column<string>(nullable: false),
            event_row_id = t.Column<long>(nullable: true),
            attempted_at = t.Column<long>(nullable: false),
            status_code = t.Column<int>(nullable: true),
            duration_ms = t.Column<long>(nullable: false),
            error = t.Column<string>(nullable: true),
            result = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_webhook_deliveries", x => x.id));
        b.CreateIndex("ix_webhook_deliveries_endpoint_id_id", "webhook_deliveries", ["endpoint_id", "id"]);
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropTable("webhook_deliveries");
        b.DropTable("webhook_queue");
        b.DropTable("webhook_endpoints");
    }
}
