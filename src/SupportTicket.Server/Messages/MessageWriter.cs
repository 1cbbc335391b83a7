using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Messages;

/// <summary>
/// The hot write: bump the ticket's counter and insert the message with that seq, atomically, in as few round
/// trips as the database allows. Returns null when the ticket is closed or gone.
/// </summary>
internal static class MessageWriter
{
    private const string Columns =
        "id, ticket_id, seq, author_id, author_name, author_role, content, attachments, internal, source, external_id, created_at, updated_at, idempotency_key";
    private const string Values =
        "@id, @ticket_id, {0}, @author_id, @author_name, @author_role, @content, @attachments, @internal, @source, @external_id, @now, @now, @key";

    // PostgreSQL: one statement. The UPDATE's row lock orders concurrent writers; a unique violation on the
    // idempotency key undoes the counter bump with it, so no seq is ever skipped.
    private static readonly string Postgres =
        "WITH t AS (UPDATE tickets SET last_seq = last_seq + 1, updated_at = @now WHERE id = @ticket_id AND status <> 'CLOSED' RETURNING last_seq) " +
        $"INSERT INTO messages ({Columns}) SELECT {string.Format(Values, "t.last_seq")} FROM t RETURNING seq";

    // SQLite: no data-modifying CTEs, so two statements in one transaction (WriteGate makes us the only writer).
    private const string SqliteBump =
        "UPDATE tickets SET last_seq = last_seq + 1, updated_at = @now WHERE id = @ticket_id AND status <> 'CLOSED' RETURNING last_seq";
    private static readonly string SqliteInsert = $"INSERT INTO messages ({Columns}) VALUES ({string.Format(Values, "@seq")})";

    public static async Task<long?> InsertAsync(AppDbContext db, DatabaseProvider provider, Message m, CancellationToken ct)
    {
        var parameters = new (string, object?)[]
        {
            ("@id", m.Id), ("@ticket_id", m.TicketId), ("@author_id", m.AuthorId), ("@author_name", m.AuthorName),
            ("@author_role", m.AuthorRole), ("@content", m.Content), ("@attachments", m.Attachments), ("@internal", m.Internal),
            ("@source", m.Source), ("@external_id", m.ExternalId), ("@now", m.CreatedAt), ("@key", m.IdempotencyKey),
        };
        try
        {
            if (provider == DatabaseProvider.Postgres)
            {
                await using var command = await Sql.CommandAsync(db, Postgres, ct, parameters);
                return await command.ExecuteScalarAsync(ct) is { } seq ? Convert.ToInt64(seq) : null;
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            long bumped;
            await using (var bump = await Sql.CommandAsync(db, SqliteBump, ct, parameters))
            {
                if (await bump.ExecuteScalarAsync(ct) is not { } value) return null;
                bumped = Convert.ToInt64(value);
            }
            await using (var insert = await Sql.CommandAsync(db, SqliteInsert, ct, [.. parameters, ("@seq", bumped)]))
                await insert.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            return bumped;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
