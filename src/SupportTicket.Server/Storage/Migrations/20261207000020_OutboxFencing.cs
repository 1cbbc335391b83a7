using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// Issue #24: the leader lease row with its fencing epoch, and a refused channel move. SQLite gets the lease table
// too, unused, so both providers share one model.
[DbContext(typeof(AppDbContext))]
[Migration("20261207000020_OutboxFencing")]
public sealed class OutboxFencing : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("leader_lease", t => new
        {
            name = t.Column<string>(nullable: false),
            holder = t.Column<string>(nullable: true),
            epoch = t.Column<long>(nullable: false),
            expires_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_leader_lease", x => x.name));
        b.Sql("INSERT INTO leader_lease (name, holder, epoch, expires_at) VALUES ('discord', NULL, 0, 0)");
        b.AddColumn<string>("move_blocked_to", "discord_channels", nullable: true);
        b.AddColumn<long>("move_retry_at", "discord_channels", nullable: true);
    }

    protected override void Down(MigrationBuilder b)
    {
        b.Sql("ALTER TABLE discord_channels DROP COLUMN move_retry_at");
        b.Sql("ALTER TABLE discord_channels DROP COLUMN move_blocked_to");
        b.DropTable("leader_lease");
    }
}
