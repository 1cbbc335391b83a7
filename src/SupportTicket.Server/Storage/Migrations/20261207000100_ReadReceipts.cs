using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>
/// Read markers of both sides (issue #27), each kept in both numberings (<see cref="Tickets.Ticket.CustomerReadSeq"/>
/// and friends), and the digest clock of the reply mails. Existing tickets start as read up to their last message,
/// so an upgrade mails nobody about old replies.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000100_ReadReceipts")]
public sealed class ReadReceipts : Migration
{
    private static readonly string[] Columns =
        ["customer_read_seq", "customer_read_staff_seq", "staff_read_seq", "staff_read_public_seq", "email_notified_seq"];

    protected override void Up(MigrationBuilder b)
    {
        foreach (var column in Columns) b.AddColumn<long>(column, "tickets", nullable: false, defaultValue: 0L);
        b.AddColumn<long>("email_pending_since", "tickets", nullable: true);
        b.Sql("UPDATE tickets SET customer_read_seq = last_public_seq, customer_read_staff_seq = last_seq, " +
              "staff_read_seq = last_seq, staff_read_public_seq = last_public_seq, email_notified_seq = last_public_seq");
        b.CreateIndex("ix_tickets_email_pending_since", "tickets", "email_pending_since");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropIndex("ix_tickets_email_pending_since", "tickets");
        foreach (var column in Columns.Append("email_pending_since")) b.Sql($"ALTER TABLE tickets DROP COLUMN {column}");
    }
}
