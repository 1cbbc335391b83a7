using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// The hot write's statements. The ticket columns it returns, and how they are read, come from the EF model, so every
// Ticket property reaches message events (no second list of columns to forget).
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
            "updated_at = @now, public_updated_at = CASE WHEN @internal THEN public_updated_at ELSE @now END, " + Timers + ", " +
            // ReadReceipts: a post marks its author's side read up to it, in both numberings. Email: a staff reply
            // the customer can see starts the digest clock unless one is running.
            "customer_read_seq = CASE WHEN @staff THEN customer_read_seq ELSE last_public_seq + 1 END, " +
            "customer_read_staff_seq = CASE WHEN @staff THEN customer_read_staff_seq ELSE last_seq + 1 END, " +
            "staff_read_seq = CASE WHEN @staff THEN last_seq + 1 ELSE staff_read_seq END, " +
            // A note leaves the customers' copy alone, so they cannot tell one was written.
            "staff_read_public_seq = CASE WHEN @staff AND NOT @internal THEN last_public_seq + 1 ELSE staff_read_public_seq END, " +
            "email_pending_since = CASE WHEN @staff AND NOT @internal AND email_pending_since IS NULL THEN @now ELSE email_pending_since END " +
            "WHERE id = @ticket_id AND status <> 'CLOSED' AND (@staff OR user_id = @author_id) RETURNING " + ticketColumns;
        // PostgreSQL: one statement. The UPDATE's row lock orders concurrent writers; a unique violation on the
        // idempotency key undoes the counter bump with it, so no seq is ever skipped.
        var select = $"SELECT {string.Join(", ", properties.Select(p => "t." + p.GetColumnName()))} FROM t, m";
        Postgres =
            $"WITH t AS ({Bump}), m AS (INSERT INTO messages ({Columns}) SELECT {string.Format(Values, "t.last_seq", "t.last_public_seq")} FROM t RETURNING seq){PostgresEvent} " + select;
        // With the Discord outbox on, the same statement also writes the post's outbox row, so the row commits
        // exactly when the message does (the row as Outbox/OutboxWriter.cs spells it).
        PostgresWithOutbox =
            $"WITH t AS ({Bump}), m AS (INSERT INTO messages ({Columns}) SELECT {string.Format(Values, "t.last_seq", "t.last_public_seq")} FROM t RETURNING id), " +
            $"o AS (INSERT INTO outbox ({OutboxWriter.SqlColumns}) SELECT {OutboxRow("m.id")} FROM m){PostgresEvent} " + select;
        _readTicket = Reader(properties);
    }

    // ---- Lifecycle (issue #28): a visible staff message answers the SLA and arms auto-close; a customer's starts the
    // next-response SLA (once the first response was given) and cancels auto-close. The deadlines come per issue
    // level from Lifecycle/TicketTimers.cs; @timers is false for the server's own messages (the warning).
    private static string Level(string name) =>
        "CASE issue_level " + string.Concat(IssueLevel.All.Select((l, i) => $"WHEN '{l}' THEN CAST(@{name}_{i} AS BIGINT) ")) + "END";

    private static readonly string Timers =
        "first_response_at = CASE WHEN @timers AND @staff AND NOT @internal THEN COALESCE(first_response_at, @now) ELSE first_response_at END, " +
        "sla_first_response_due_at = CASE WHEN @timers AND @staff AND NOT @internal THEN NULL ELSE sla_first_response_due_at END, " +
        "sla_next_response_due_at = CASE WHEN NOT @timers OR @internal THEN sla_next_response_due_at WHEN @staff THEN NULL " +
        $"WHEN first_response_at IS NULL THEN NULL ELSE COALESCE(sla_next_response_due_at, {Level("sla_next")}) END, " +
        $"auto_close_warn_at = CASE WHEN NOT @timers OR @internal THEN auto_close_warn_at WHEN @staff THEN {Level("warn")} ELSE NULL END, " +
        $"auto_close_at = CASE WHEN NOT @timers OR @internal THEN auto_close_at WHEN @staff THEN {Level("close")} ELSE NULL END ";

    private static IEnumerable<(string, object?)> TimerParameters(Lifecycle.MessageTimers? t) =>
        new[] { ("@timers", (object?)(t is not null)) }
            .Concat(IssueLevel.All.SelectMany((_, i) => new (string, object?)[]
            {
                ($"@sla_next_{i}", t?.NextResponseDue[i]), ($"@warn_{i}", t?.WarnAt[i]), ($"@close_{i}", t?.CloseAt[i]),
            }));
    // ---- end Lifecycle

    public string Bump { get; }

    public string Postgres { get; }

    public string PostgresWithOutbox { get; }

    public static readonly string SqliteOutbox = $"INSERT INTO outbox ({OutboxWriter.SqlColumns}) VALUES ({OutboxRow("@id")})";

    private static string OutboxRow(string messageId) => OutboxWriter.SqlValues("@ticket_id", OutboxKinds.MessagePosted, messageId, "@now");

    // ---- EventFeed (issue #26): the post's message.created event, always written, in the post's statement/savepoint.
    private const string EventColumns = "event_id, type, ticket_id, seq, created, data";

    // The event CTE of Postgres: numbered by the bump, the message's seq filled in from it.
    private const string PostgresEvent = $", e AS (INSERT INTO events ({EventColumns}) SELECT @event_id, '{EventFeed.EventTypes.MessageCreated}', " +
        $"@ticket_id, t.last_event_seq, @now, replace(@event_data, '{EventFeed.EventWriter.SeqPlaceholder}', '\"seq\":' || t.last_seq || ',') FROM t)";

    // SQLite: after the insert, inside the post's savepoint; the data has its seq filled in already.
    public const string SqliteEvent = $"INSERT INTO events ({EventColumns}) VALUES (@event_id, '{EventFeed.EventTypes.MessageCreated}', @ticket_id, @event_seq, @now, @event_data)";

    public static (string, object?)[] EventParameters(PostWrite post) => [("@event_id", post.EventId), ("@event_data", post.EventData)];
    // ---- end EventFeed

    // SQLite has no data-modifying CTEs: the bump, then this, inside one savepoint.
    public static readonly string SqliteInsert = $"INSERT INTO messages ({Columns}) VALUES ({string.Format(Values, "@seq", "@public_seq")})";

    public static (string, object?)[] Parameters(Message m, bool staff, Lifecycle.MessageTimers? timers = null) =>
    [
        ("@id", m.Id), ("@ticket_id", m.TicketId), ("@author_id", m.AuthorId), ("@author_name", m.AuthorName),
        ("@author_role", m.AuthorRole), ("@content", m.Content), ("@attachments", m.Attachments), ("@internal", m.Internal),
        ("@source", m.Source), ("@external_id", m.ExternalId), ("@now", m.CreatedAt), ("@key", m.IdempotencyKey), ("@staff", staff),
        .. TimerParameters(timers),
    ];

    public static readonly string[] ParameterNames = Parameters(new Message(), staff: false).Select(p => p.Item1).ToArray();

    public Ticket ReadTicket(DbDataReader reader) => _readTicket(reader);

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
