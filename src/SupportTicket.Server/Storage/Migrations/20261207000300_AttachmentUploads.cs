using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

/// <summary>
/// Files uploaded from the widget or the API (issue #29) carry who uploaded them: the per-user quota sums by it, a
/// message may only attach its author's uploads, and such files are served by signed links only.
/// </summary>
[DbContext(typeof(AppDbContext))]
[Migration("20261207000300_AttachmentUploads")]
public sealed class AttachmentUploads : Migration
{
    protected override void Up(MigrationBuilder b)
    {
        b.AddColumn<string>("uploaded_by", "attachment_files", nullable: true);
        b.CreateIndex("ix_attachment_files_uploaded_by", "attachment_files", "uploaded_by");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.DropIndex("ix_attachment_files_uploaded_by", "attachment_files");
        // EF refuses DropColumn on SQLite; SQLite itself drops an unindexed column since 3.35.
        b.Sql("ALTER TABLE attachment_files DROP COLUMN uploaded_by");
    }
}
