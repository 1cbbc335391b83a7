using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// The customers' updated_at (Tickets.Ticket.PublicUpdatedAt), which staff notes do not move. Existing tickets start
// from their updated_at: recomputing it without the notes would move a customer's view of an old ticket backwards,
// itself a visible change, while what a note moved before this ran has been seen.
[DbContext(typeof(AppDbContext))]
[Migration("20261207000002_PublicUpdatedAt")]
public sealed class PublicUpdatedAt : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.AddColumn<long>("public_updated_at", "tickets", nullable: false, defaultValue: 0L);
        b.Sql("UPDATE tickets SET public_updated_at = updated_at");
    }

    protected override void Down(MigrationBuilder b) => b.Sql("ALTER TABLE tickets DROP COLUMN public_updated_at");
}
