using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SupportTicket.Server.Storage.Migrations;

// Chunk rows, so a download streams. New tables rather than altered ones: SQLite cannot add a foreign key to an
// existing table. Files whose ticket or message is already gone are not carried over.
[DbContext(typeof(AppDbContext))]
[Migration("20261207000010_AttachmentFiles")]
public sealed class AttachmentFiles : Migration
{
    // Fixed for the rows this writes: the chunk size is part of the stored format.
    private const int ChunkSize = 65536;

    protected override void Up(MigrationBuilder b)
    {
        b.CreateTable("attachment_files", t => new
        {
            id = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: false),
            message_id = t.Column<string>(nullable: true),
            file_name = t.Column<string>(nullable: false),
            content_type = t.Column<string>(nullable: false),
            size = t.Column<long>(nullable: false),
            created_at = t.Column<long>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_attachment_files", x => x.id);
            t.ForeignKey("fk_attachment_files_tickets_ticket_id", x => x.ticket_id, "tickets", "id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("fk_attachment_files_messages_message_id", x => x.message_id, "messages", "id", onDelete: ReferentialAction.Cascade);
        });
        b.CreateIndex("ix_attachment_files_ticket_id", "attachment_files", "ticket_id");
        b.CreateIndex("ix_attachment_files_message_id", "attachment_files", "message_id");

        b.CreateTable("attachment_chunks", t => new
        {
            attachment_id = t.Column<string>(nullable: false),
            seq = t.Column<int>(nullable: false),
            data = t.Column<byte[]>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_attachment_chunks", x => new { x.attachment_id, x.seq });
            t.ForeignKey("fk_attachment_chunks_attachment_files_attachment_id", x => x.attachment_id, "attachment_files", "id", onDelete: ReferentialAction.Cascade);
        });

        // The message of a file is the relayed Discord message whose links name it.
        b.Sql("INSERT INTO attachment_files (id, ticket_id, message_id, file_name, content_type, size, created_at) " +
              "SELECT a.id, a.ticket_id, (SELECT m.id FROM messages m WHERE m.ticket_id = a.ticket_id AND m.source = 'DISCORD' " +
              "AND m.attachments LIKE ('%/api/v1/attachments/' || a.id || '/%') ORDER BY m.seq LIMIT 1), " +
              "a.file_name, a.content_type, length(a.data), a.created_at " +
              "FROM attachments a WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.id = a.ticket_id)");
        b.Sql("DELETE FROM attachment_files WHERE message_id IS NULL");
        // substr counts bytes on a BLOB (SQLite) and on bytea (PostgreSQL), so one statement serves both.
        b.Sql($"WITH RECURSIVE pieces(id, i) AS (SELECT f.id, 0 FROM attachment_files f WHERE f.size > 0 " +
              $"UNION ALL SELECT p.id, p.i + 1 FROM pieces p JOIN attachment_files f ON f.id = p.id WHERE (p.i + 1) * {ChunkSize} < f.size) " +
              $"INSERT INTO attachment_chunks (attachment_id, seq, data) " +
              $"SELECT p.id, p.i, substr(a.data, p.i * {ChunkSize} + 1, {ChunkSize}) FROM pieces p JOIN attachments a ON a.id = p.id");
        b.DropTable("attachments");
    }

    protected override void Down(MigrationBuilder b)
    {
        b.CreateTable("attachments", t => new
        {
            id = t.Column<string>(nullable: false),
            ticket_id = t.Column<string>(nullable: false),
            file_name = t.Column<string>(nullable: false),
            content_type = t.Column<string>(nullable: false),
            data = t.Column<byte[]>(nullable: false),
            created_at = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_attachments", x => x.id));
        var joined = b.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL"
            ? "COALESCE((SELECT string_agg(c.data, ''::bytea ORDER BY c.seq) FROM attachment_chunks c WHERE c.attachment_id = f.id), ''::bytea)"
            : "COALESCE((SELECT CAST(group_concat(data, '') AS BLOB) FROM (SELECT c.data FROM attachment_chunks c WHERE c.attachment_id = f.id ORDER BY c.seq)), X'')";
        b.Sql($"INSERT INTO attachments (id, ticket_id, file_name, content_type, data, created_at) " +
              $"SELECT f.id, f.ticket_id, f.file_name, f.content_type, {joined}, f.created_at FROM attachment_files f");
        b.DropTable("attachment_chunks");
        b.DropTable("attachment_files");
    }
}
