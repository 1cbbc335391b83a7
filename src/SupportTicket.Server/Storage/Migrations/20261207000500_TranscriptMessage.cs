using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>Which Discord message holds a ticket's transcript, so a later rating is added to it (issue #28, item 4).</summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000500_TranscriptMessage")]
public sealed class TranscriptMessage : Migration
{
    protected override void Up(MigrationBuilder b) => b.AddColumn<string>("transcript_message_id", "discord_channels", nullable: true);

    protected override void Down(MigrationBuilder b) => b.Sql("ALTER TABLE discord_channels DROP COLUMN transcript_message_id");
}
