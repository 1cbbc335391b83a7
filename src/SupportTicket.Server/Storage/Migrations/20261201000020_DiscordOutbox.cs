using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace SupportTicket.Server.Storage.Migrations;

// The Discord outbox and the links between tickets and their Discord channel and messages. Hand-written like Initial;
// each provider ignores the other's identity annotation.
[DbContext(typeof(AppDbContext))]
[Migration("20261201000020_DiscordOutbox")]
public sealed class DiscordOutbox : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("outbox", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            ticket_id = t.Column<string>(nullable: false),
            kind = t.Column<string>(nullable: false),
            message_id = t.Column<string>(nullable: true),
            created_at = t.Column<long>(nullable: false),
            attempts = t.Column<int>(nullable: false),
            next_attempt_at = t.Column<long>(nullable: false),
            parked_at = t.Column<long>(nullable: true),
            last_error = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_outbox", x => x.id));
        b.CreateIndex("ix_outbox_ticket_id_id", "outbox", ["ticket_id", "id"]);

        b.CreateTable("discord_channels", t => new
        {
            ticket_id = t.Column<string>(nullable: false),
            channel_id = t.Column<string>(nullable: true),
            parent_id = t.Column<string>(nullable: true),
            webhook_id = t.Column<string>(nullable: true),
            webhook_token = t.Column<string>(nullable: true),
            opening_message_id = t.Column<string>(nullable: true),
            last_inbound_id = t.Column<string>(nullable: true),
            state = t.Column<string>(nullable: false),
            lost_by_hand = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_discord_channels", x => x.ticket_id));
        b.CreateIndex("ix_discord_channels_channel_id", "discord_channels", "channel_id");

        b.CreateTable("discord_messages", t => new
        {
            id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            message_id = t.Column<string>(nullable: false),
            part = t.Column<int>(nullable: false),
            channel_id = t.Column<string>(nullable: false),
            discord_message_id = t.Column<string>(nullable: false),
            via_webhook = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_discord_messages", x => x.id));
        b.CreateIndex("ix_discord_messages_message_id_part", "discord_messages", ["message_id", "part"], unique: true);
        b.CreateIndex("ix_discord_messages_discord_message_id", "discord_messages", "discord_message_id");
        b.CreateTable("attachments", t => new
        {
            id = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: false),
            file_name = t.Column<string>(nullable: false),
            content_type = t.Column<string>(nullable: false),
            data = t.Column<byte[]>(nullable: false),
            created_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_attachments", x => x.id));
        b.CreateIndex("ix_messages_external_id", "messages", "external_id");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropIndex("ix_messages_external_id", "messages");
        b.DropTable("attachments");
        b.DropTable("discord_messages");
        b.DropTable("discord_channels");
        b.DropTable("outbox");
    }
}
