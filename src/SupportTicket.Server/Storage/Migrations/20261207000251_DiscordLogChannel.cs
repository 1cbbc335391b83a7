using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>What the log channel (Discord:LogChannelId) has reported per ticket (issue #28, item 8).</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000251_DiscordLogChannel")]
public sealed class DiscordLogChannel : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.AddColumn<bool>("logged_opened", "discord_channels", nullable: false, defaultValue: false);
        b.AddColumn<string>("logged_assignee_id", "discord_channels", nullable: true);
        // Tickets mirrored before the log channel existed are not announced after the fact.
        b.Sql("UPDATE discord_channels SET logged_opened = TRUE, logged_assignee_id = (SELECT t.assignee_id FROM tickets t WHERE t.id = discord_channels.ticket_id)");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.Sql("ALTER TABLE discord_channels DROP COLUMN logged_assignee_id");
        b.Sql("ALTER TABLE discord_channels DROP COLUMN logged_opened");
    }
}
