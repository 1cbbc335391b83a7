using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

[DbContext(typeof(AppDbContext))]
[Migration("20261207000040_DiscordInbound")]
public sealed class DiscordInbound : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("discord_inbound", t => new
        {
            discord_message_id = t.Column<string>(nullable: false),
            channel_id = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: false),
            payload = t.Column<string>(nullable: false),
            state = t.Column<string>(nullable: false),
            attempts = t.Column<int>(nullable: false),
            next_attempt_at = t.Column<long>(nullable: false),
            last_error = t.Column<string>(nullable: true),
            edited_timestamp = t.Column<string>(nullable: true),
            notice_sent = t.Column<bool>(nullable: false),
            created_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_discord_inbound", x => x.discord_message_id));
        b.CreateIndex("ix_discord_inbound_state_next_attempt_at", "discord_inbound", ["state", "next_attempt_at"]);
    }

    protected override void Down(MigrationBuilder b) => b.DropTable("discord_inbound");
}
