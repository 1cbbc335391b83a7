using System.Data.Common;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

/// <summary>
/// The statements of the hot write (see <see cref="MessageBatcher"/>): check that the caller may post (the ticket
/// exists, is theirs or they are staff, and is open), bump its counter and insert the message with that seq.
/// </summary>
internal static class MessageSql
{
    private const string TicketColumns =
        "id, number, user_id, username, email, topic, description, status, user_role, support_role, issue_level, assignee_id, created_at, updated_at, closed_at, close_reason, last_seq";
    private const string Columns =
        "id, ticket_id, seq, author_id, author_name, author_role, content, attachments, internal, source, external_id, created_at, updated_at, idempotency_key";
    private const string Values =
        "@id, @ticket_id, {0}, @author_id, @author_name, @author_role, @content, @attachments, @internal, @source, @external_id, @now, @now, @key";

    /// <summary>
    /// Hand-written for speed (the hot write, one round trip): <c>status &lt;&gt; 'CLOSED'</c> is
    /// <see cref="TicketAccess.IsOpen"/> and <c>(@staff OR user_id = @author_id)</c> is
    /// <see cref="TicketAccess.VisibleTo"/>. Change those rules there and here together;
    /// <c>TicketAccessSqlTests</c> fails when the two disagree for any kind of viewer.
    /// </summary>
    public const string Bump =
        "UPDATE tickets SET last_seq = last_seq + 1, updated_at = @now " +
        "WHERE id = @ticket_id AND status <> 'CLOSED' AND (@staff OR user_id = @author_id) RETURNING " + TicketColumns;

    /// <summary>
    /// PostgreSQL: one statement. The UPDATE's row lock orders concurrent writers; a unique violation on the
    /// idempotency key undoes the counter bump with it, so no seq is ever skipped.
    /// </summary>
    public static readonly string Postgres =
        $"WITH t AS ({Bump}), m AS (INSERT INTO messages ({Columns}) SELECT {string.Format(Values, "t.last_seq")} FROM t RETURNING seq) " +
        $"SELECT {string.Join(", ", TicketColumns.Split(", ").Select(c => "t." + c))} FROM t, m";

    /// <summary>SQLite has no data-modifying CTEs: the bump, then this, inside one savepoint.</summary>
    public static readonly string SqliteInsert = $"INSERT INTO messages ({Columns}) VALUES ({string.Format(Values, "@seq")})";

    public static (string, object?)[] Parameters(Message m, bool staff) =>
    [
        ("@id", m.Id), ("@ticket_id", m.TicketId), ("@author_id", m.AuthorId), ("@author_name", m.AuthorName),
        ("@author_role", m.AuthorRole), ("@content", m.Content), ("@attachments", m.Attachments), ("@internal", m.Internal),
        ("@source", m.Source), ("@external_id", m.ExternalId), ("@now", m.CreatedAt), ("@key", m.IdempotencyKey), ("@staff", staff),
    ];

    /// <summary>Derived from <see cref="Parameters"/>, so the prepared SQLite statements always declare the same set.</summary>
    public static readonly string[] ParameterNames = Parameters(new Message(), staff: false).Select(p => p.Item1).ToArray();

    public static Ticket ReadTicket(DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        long? Number(int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
        return new Ticket
        {
            Id = r.GetString(0), Number = r.GetInt64(1), UserId = r.GetString(2), Username = r.GetString(3), Email = Text(4),
            Topic = r.GetString(5), Description = r.GetString(6), Status = r.GetString(7), UserRole = r.GetString(8),
            SupportRole = r.GetString(9), IssueLevel = r.GetString(10), AssigneeId = Text(11), CreatedAt = r.GetInt64(12),
            UpdatedAt = r.GetInt64(13), ClosedAt = Number(14), CloseReason = Text(15), LastSeq = r.GetInt64(16),
        };
    }
}
