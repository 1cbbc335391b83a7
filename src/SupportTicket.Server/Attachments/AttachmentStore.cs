using System.Data;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Attachments;

// Files as rows of ChunkSize bytes. Each read is its own short query into the caller's buffer, so a slow reader holds
// no copy of the file and no database connection between reads (the pool is a few dozen connections; a download can
// last minutes). The same SQL runs on SQLite and PostgreSQL.
public static class AttachmentStore
{
    // Under the large-object heap's 85,000 bytes, so a chunk buffer is ordinary short-lived memory.
    public const int ChunkSize = 64 * 1024;

    public static StoredAttachment Add(AppDbContext db, string ticketId, string fileName, string contentType, ReadOnlySpan<byte> data, long createdAt)
    {
        var file = new StoredAttachment
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), TicketId = ticketId, FileName = fileName,
            ContentType = contentType, Size = data.Length, CreatedAt = createdAt,
        };
        db.Attachments.Add(file);
        for (var seq = 0; seq * ChunkSize < data.Length; seq++)
        {
            var piece = data.Slice(seq * ChunkSize, Math.Min(ChunkSize, data.Length - seq * ChunkSize));
            db.AttachmentChunks.Add(new AttachmentChunk { AttachmentId = file.Id, Seq = seq, Data = piece.ToArray() });
        }
        return file;
    }

    public static async Task<int> ReadChunkAsync(AppDbContext db, string attachmentId, int seq, int offset, ArraySegment<byte> buffer, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT data FROM attachment_chunks WHERE attachment_id = @id AND seq = @seq";
            AddParameter(command, "@id", attachmentId);
            AddParameter(command, "@seq", seq);
            // Sequential: the driver copies the column into our buffer instead of buffering the row first.
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            if (!await reader.ReadAsync(ct)) return 0;
            var length = 0;
            long read;
            while (length < buffer.Count && (read = reader.GetBytes(0, offset + length, buffer.Array, buffer.Offset + length, buffer.Count - length)) > 0)
                length += (int)read;
            return length;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
