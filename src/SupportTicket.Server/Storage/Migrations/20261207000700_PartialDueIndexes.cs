using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>
/// Issue #30, target 5: the due-time indexes on tickets (the timers' and the mail digest's) hold only the rows that
/// have the time set. A post that arms or clears a timer changes an indexed column, so PostgreSQL writes a new entry
/// into every index of tickets that covers the row; most due times are empty most of the time, and an empty one is
/// now in no index. The scans (<c>due &lt;= now</c>) imply <c>IS NOT NULL</c>, so both databases still read them.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000700_PartialDueIndexes")]
public sealed class PartialDueIndexes : Migration
{
    /// <summary>The indexed due times, as their columns (Lifecycle.TicketTimers.DueColumns and the digest clock).</summary>
    private static readonly string[] Columns =
        ["sla_first_response_due_at", "sla_next_response_due_at", "auto_close_warn_at", "auto_close_at", "close_request_due_at", "email_pending_since"];

    protected override void Up(MigrationBuilder b)
    {
        foreach (var column in Columns)
        {
            b.DropIndex("ix_tickets_" + column, "tickets");
            b.CreateIndex("ix_tickets_" + column, "tickets", column, filter: column + " IS NOT NULL");
        }
    }

    protected override void Down(MigrationBuilder b)
    {
        foreach (var column in Columns)
        {
            b.DropIndex("ix_tickets_" + column, "tickets");
            b.CreateIndex("ix_tickets_" + column, "tickets", column);
        }
    }
}
