using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

/// <summary>
/// The statements of the hot write (see <see cref="MessageBatcher"/>): check that the caller may post (the ticket
/// exists, is theirs or they are staff, and is open), bump its counters and insert the message with that seq. The
/// ticket columns it returns and how they are read come from the EF model, so every <see cref="Ticket"/> property
/// reaches message events (no second list of ticket columns to forget).
/// </summary>
public sealed class MessageSql
{
    private const string Columns =
        "id, ticket_id, seq, public_seq, author_id, author_name, author_role, content, attachments, internal, source, external_id, created_at, updated_at, idempotency_key";
    private const string Values =
        "@id, @ticket_id, {0}, {1}, @author_id, @author_name, @author_role, @content, @attachments, @internal, @source, @external_id, @now, @now, @key";

    private readonly Func<DbDataReader, Ticket> _readTicket;

    public MessageSql(IModel model)
    {
        var ticket = model.FindEntityType(typeof(Ticket)) ?? throw new InvalidOperationException("Ticket is not in the EF model");
        var properties = ticket.GetProperties().ToArray();
        var ticketColumns = string.Join(", ", properties.Select(p => p.GetColumnName()));
        // Hand-written for speed (the hot write, one round trip): "status <> 'CLOSED'" is TicketAccess.IsOpen and
        // "(@staff OR user_id = @author_id)" is TicketAccess.VisibleTo. Change those rules there and here together;
        // TicketAccessSqlTests fails when the two disagree for any kind of viewer.
        // Both numberings move here (Message.PublicSeq): every message bumps last_seq, only a customer-visible one
        // bumps last_public_seq, so customers' numbers stay gap-free and a note takes the number before it. Likewise
        // a note moves updated_at but not public_updated_at, the customers' updated_at (Ticket.PublicUpdatedAt).
        Bump = "UPDATE tickets SET last_seq = last_seq + 1, last_public_seq = last_public_seq + CASE WHEN @internal THEN 0 ELSE 1 END, " +
            // EventFeed: the post's event number, in the same row lock.
            "last_event_seq = last_event_seq + 1, " +
            "updated_at = @now, public_updated_at = CASE WHEN @internal THEN public_updated_at ELSE @now END, " +
            // ReadReceipts: a post marks its author's side read up to it, in both numberings. Email: a staff reply
            // the customer can see starts the digest clock unless one is running.
            "customer_read_seq = CASE WHEN @staff THEN customer_read_seq ELSE last_public_seq + 1 END, " +
            "customer_read_staff_seq = CASE WHEN @staff THEN customer_read_staff_seq ELSE last_seq + 1 END, " +
            "staff_read_seq = CASE WHEN @staff THEN last_seq + 1 ELSE staff_read_seq END, " +
            "staff_read_public_seq = CASE WHEN @staff THEN last_public_seq + CASE WHEN @internal THEN 0 ELSE 1 END ELSE staff_read_public_seq END, " +
            "email_pending_since = CASE WHEN @staff AND NOT @internal AND email_pending_since IS NULL THEN @now ELSE email_pending_since END " +
            "WHERE id = @ticket_id AND status <> 'CLOSED' AND (@staff OR user_id = @author_id) RETURNING " + ticketColumns;
        // PostgreSQL: one statement. The UPDATE's row lock orders concurrent writers; a unique violation on the
        // idempotency key undoes the counter bump with it, so no seq is ever skipped.
        var select = $"SELECT {string.Join(", ", properties.Select(p => "t." + p.GetColumnName()))} FROM t, m";
        Postgres =
            $"WITH t AS ({Bump}), m AS (INSERT INTO messages ({Columns}) SELECT {string.Format(Values, "t.last_seq", "t.last_public_seq")} FROM t RETURNING seq){PostgresEvent} " + select;
        // With the Discord outbox on, the same statement also writes the post's outbox row, so the row commits
        // exactly when the message does (Outbox/OutboxWriter.cs).
        PostgresWithOutbox =
            $"WITH t AS ({Bump}), m AS (INSERT INTO messages ({Columns}) SELECT {string.Format(Values, "t.last_seq", "t.last_public_seq")} FROM t RETURNING id), " +
            $"o AS (INSERT INTO outbox ({OutboxColumns}) SELECT {string.Format(OutboxValues, "m.id")} FROM m){PostgresEvent} " + select;
        _readTicket = Reader(properties);
    }

    /// <summary>Bumps the ticket's counter if the caller may post to it; returns the ticket's row.</summary>
    public string Bump { get; }

    /// <summary>The bump and the insert as one statement (see the constructor).</summary>
    public string Postgres { get; }

    /// <summary><see cref="Postgres"/> plus the post's Discord outbox row.</summary>
    public string PostgresWithOutbox { get; }

    /// <summary>SQLite with the outbox on: run after the insert, inside the post's savepoint.</summary>
    public static readonly string SqliteOutbox = $"INSERT INTO outbox ({OutboxColumns}) VALUES ({string.Format(OutboxValues, "@id")})";

    /// <summary>The columns an outbox row is written with by hand-written SQL (here and in <see cref="TicketSql"/>).</summary>
    internal const string OutboxColumns = "ticket_id, kind, message_id, created_at, attempts, next_attempt_at";
    private const string OutboxValues = "@ticket_id, '" + Outbox.OutboxKinds.MessagePosted + "', {0}, @now * 1000, 0, @now * 1000";

    // ---- EventFeed (issue #26): the post's message.created event, always written, in the post's statement/savepoint.
    private const string EventColumns = "event_id, type, ticket_id, seq, created, data";

    /// <summary>The event CTE of <see cref="Postgres"/>: numbered by the bump, the message's seq filled in from it.</summary>
    private const string PostgresEvent = $", e AS (INSERT INTO events ({EventColumns}) SELECT @event_id, '{EventFeed.EventTypes.MessageCreated}', " +
        $"@ticket_id, t.last_event_seq, @now, replace(@event_data, '{EventFeed.EventWriter.SeqPlaceholder}', '\"seq\":' || t.last_seq || ',') FROM t)";

    /// <summary>SQLite: after the insert, inside the post's savepoint; the data has its seq filled in already.</summary>
    public const string SqliteEvent = $"INSERT INTO events ({EventColumns}) VALUES (@event_id, '{EventFeed.EventTypes.MessageCreated}', @ticket_id, @event_seq, @now, @event_data)";

    /// <summary>The event's own parameters (beside <see cref="Parameters"/>); <c>@event_data</c> still has the placeholder.</summary>
    public static (string, object?)[] EventParameters(PostWrite post) => [("@event_id", post.EventId), ("@event_data", post.EventData)];
    // ---- end EventFeed

    /// <summary>SQLite has no data-modifying CTEs: the bump, then this, inside one savepoint.</summary>
    public static readonly string SqliteInsert = $"INSERT INTO messages ({Columns}) VALUES ({string.Format(Values, "@seq", "@public_seq")})";

    public static (string, object?)[] Parameters(Message m, bool staff) =>
    [
        ("@id", m.Id), ("@ticket_id", m.TicketId), ("@author_id", m.AuthorId), ("@author_name", m.AuthorName),
        ("@author_role", m.AuthorRole), ("@content", m.Content), ("@attachments", m.Attachments), ("@internal", m.Internal),
        ("@source", m.Source), ("@external_id", m.ExternalId), ("@now", m.CreatedAt), ("@key", m.IdempotencyKey), ("@staff", staff),
    ];

    /// <summary>Derived from <see cref="Parameters"/>, so the prepared SQLite statements always declare the same set.</summary>
    public static readonly string[] ParameterNames = Parameters(new Message(), staff: false).Select(p => p.Item1).ToArray();

    /// <summary>The ticket row returned by <see cref="Bump"/> or <see cref="Postgres"/>, column i being property i.</summary>
    public Ticket ReadTicket(DbDataReader reader) => _readTicket(reader);

    /// <summary>Compiled once: <c>r => new Ticket { P0 = r.IsDBNull(0) ? default : r.GetFieldValue&lt;T0&gt;(0), ... }</c>.</summary>
    private static Func<DbDataReader, Ticket> Reader(IProperty[] properties)
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "r");
        var bindings = properties.Select((p, i) =>
        {
            if (p.GetValueConverter() is not null || p.PropertyInfo is null)
                throw new NotSupportedException($"Ticket.{p.Name}: the message path reads plain columns only");
            var type = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
            Expression value = Expression.Call(reader, nameof(DbDataReader.GetFieldValue), [type], Expression.Constant(i));
            if (type != p.ClrType) value = Expression.Convert(value, p.ClrType);
            if (!p.ClrType.IsValueType || type != p.ClrType)
                value = Expression.Condition(
                    Expression.Call(reader, nameof(DbDataReader.IsDBNull), null, Expression.Constant(i)), Expression.Default(p.ClrType), value);
            return (MemberBinding)Expression.Bind(p.PropertyInfo, value);
        });
        return Expression.Lambda<Func<DbDataReader, Ticket>>(Expression.MemberInit(Expression.New(typeof(Ticket)), bindings), reader).Compile();
    }
}
