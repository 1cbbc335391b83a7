using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>
/// The batched delivery rounds read an endpoint's queue in id order, skipping the tickets that have a row waiting for
/// a retry (found by its retry time); the per-ticket index the single-row rounds walked is no longer read.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000600_WebhookQueueBatches")]
public sealed class WebhookQueueBatches : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.DropIndex("ix_webhook_queue_endpoint_id_order_key_id", "webhook_queue");
        b.CreateIndex("ix_webhook_queue_endpoint_id_id", "webhook_queue", ["endpoint_id", "id"]);
        b.CreateIndex("ix_webhook_queue_endpoint_id_next_attempt_at_order_key", "webhook_queue", ["endpoint_id", "next_attempt_at", "order_key"]);
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropIndex("ix_webhook_queue_endpoint_id_next_attempt_at_order_key", "webhook_queue");
        b.DropIndex("ix_webhook_queue_endpoint_id_id", "webhook_queue");
        b.CreateIndex("ix_webhook_queue_endpoint_id_order_key_id", "webhook_queue", ["endpoint_id", "order_key", "id"]);
    }
}
