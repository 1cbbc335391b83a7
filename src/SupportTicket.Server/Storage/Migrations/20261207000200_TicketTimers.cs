using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>
/// Issue #28: SLA, auto-close, close-request and rating columns on tickets. Every due time has its own index, so the
/// timer scans cost the due rows, not the open tickets. Existing tickets get no timers.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000200_TicketTimers")]
public sealed class TicketTimers : Migration
{
    private static readonly string[] Longs =
    [
        "first_response_at", "sla_first_response_due_at", "sla_next_response_due_at", "sla_breached_at", "auto_close_warn_at",
        "auto_close_at", "close_requested_at", "close_request_due_at", "rated_at",
    ];

    private static readonly string[] Due =
        ["sla_first_response_due_at", "sla_next_response_due_at", "auto_close_warn_at", "auto_close_at", "close_request_due_at"];

    protected override void Up(MigrationBuilder b)
    {
        foreach (var column in Longs) b.AddColumn<long>(column, "tickets", nullable: true);
        b.AddColumn<string>("close_requested_by", "tickets", nullable: true);
        b.AddColumn<string>("close_request_reason", "tickets", nullable: true);
        b.AddColumn<int>("rating_score", "tickets", nullable: true);
        b.AddColumn<string>("rating_comment", "tickets", nullable: true);
        foreach (var column in Due) b.CreateIndex("ix_tickets_" + column, "tickets", column);
    }

    protected override void Down(MigrationBuilder b)
    {
        foreach (var column in Due) b.DropIndex("ix_tickets_" + column, "tickets");
        foreach (var column in Longs.Concat(["close_requested_by", "close_request_reason", "rating_score", "rating_comment"]))
            b.Sql($"ALTER TABLE tickets DROP COLUMN {column}");
    }
}
