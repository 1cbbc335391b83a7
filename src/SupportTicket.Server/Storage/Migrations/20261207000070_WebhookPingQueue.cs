using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>A ping waits in the endpoint's queue like an event, so the lease holder sends it (it is not in the feed: its id and body ride on the row).</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000070_WebhookPingQueue")]
public sealed class WebhookPingQueue : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.AddColumn<string>("ping_event_id", "webhook_queue", nullable: true);
        b.AddColumn<string>("ping_body", "webhook_queue", nullable: true);
    }

    protected override void Down(MigrationBuilder b)
    {
        b.Sql("ALTER TABLE webhook_queue DROP COLUMN ping_body");
        b.Sql("ALTER TABLE webhook_queue DROP COLUMN ping_event_id");
    }
}
