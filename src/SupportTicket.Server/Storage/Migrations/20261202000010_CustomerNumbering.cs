using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// The numbering customers see (Messages.Message.PublicSeq, Tickets.Ticket.LastPublicSeq): gap-free over the messages
// that are not staff notes. Existing rows are numbered from what is stored now, so a ticket whose customer-visible
// messages were deleted before this ran is numbered without those holes; the full seq staff see does not change.
[DbContext(typeof(AppDbContext))]
[Migration("20261202000010_CustomerNumbering")]
public sealed class CustomerNumbering : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.AddColumn<long>("public_seq", "messages", nullable: false, defaultValue: 0L);
        b.AddColumn<long>("last_public_seq", "tickets", nullable: false, defaultValue: 0L);
        b.Sql("UPDATE messages SET public_seq = (SELECT COUNT(*) FROM messages p " +
              "WHERE p.ticket_id = messages.ticket_id AND NOT p.internal AND p.seq <= messages.seq)");
        b.Sql("UPDATE tickets SET last_public_seq = (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = tickets.id AND NOT m.internal)");
        // A customer's catch-up (after_seq in their numbering) reads this index; unique over what they can see.
        b.CreateIndex("ix_messages_ticket_id_public_seq", "messages", ["ticket_id", "public_seq"], unique: true, filter: "NOT internal");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropIndex("ix_messages_ticket_id_public_seq", "messages");
        // Plain SQL: both engines drop a column in place (SQLite since 3.35); EF's SQLite generator would need a model.
        b.Sql("ALTER TABLE tickets DROP COLUMN last_public_seq");
        b.Sql("ALTER TABLE messages DROP COLUMN public_seq");
    }
}
