using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// PostgreSQL's create in one statement: count the customer's open tickets, and only below the cap take the number and
// insert. SQLite's create runs the same steps as separate statements (below). Columns come from the EF model, so a
// new Ticket property needs no second list.
public sealed class TicketSql
{
    private readonly (string Name, Func<Ticket, object?> Value)[] _values;

    public TicketSql(IModel model)
    {
        var ticket = model.FindEntityType(typeof(Ticket)) ?? throw new InvalidOperationException("Ticket is not in the EF model");
        var properties = ticket.GetProperties().ToArray();
        var number = ticket.FindProperty(nameof(Ticket.Number))!;
        var columns = string.Join(", ", properties.Select(p => p.GetColumnName()));
        // Typed by the column (an untyped NULL in a SELECT list would be text); the number is the sequence's.
        var values = string.Join(", ", properties.Select(p =>
            p == number ? $"nextval('{TicketNumbers.Sequence}')" : $"CAST(@{p.GetColumnName()} AS {p.GetColumnType()})"));
        _values = properties.Where(p => p != number).Select(p => ("@" + p.GetColumnName(), Getter(p))).ToArray();
        // "status <> 'CLOSED'" is TicketAccess.IsOpen (TicketAccessSqlTests pins the two together). Statements of one
        // batch run in order in one transaction, so two creates of one customer in a batch both count right. A key
        // another create holds is not an error (which would roll back the whole batch and the numbers it took) but
        // no row; ON CONFLICT waits for that create's transaction, so the key's ticket is there to replay.
        // With a cap, the count is OpenTickets.Function's: it takes the customer's lock first, so creates and
        // reopens of one customer on any node are counted one after the other (see OpenTickets).
        var insert = "WITH n AS (SELECT CASE WHEN CAST(@max AS integer) IS NULL " +
            "THEN (SELECT count(*) FROM tickets WHERE user_id = @user_id AND status <> 'CLOSED') " +
            $"ELSE {OpenTickets.Function}(@user_id) END AS open), " +
            $"t AS (INSERT INTO tickets ({columns}) SELECT {values} FROM n WHERE CAST(@max AS integer) IS NULL OR n.open < @max " +
            "ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id, number)";
        const string result = " SELECT (SELECT number FROM t), (SELECT open FROM n)";
        Postgres = insert + Event + result;
        ParameterNames = _values.Select(v => v.Name).ToArray();
        SqliteInsert = $"INSERT INTO tickets ({columns}) VALUES ({string.Join(", ", properties.Select(p => "@" + p.GetColumnName()))})";
        PostgresWithOutbox = insert + $", o AS (INSERT INTO outbox ({OutboxWriter.SqlColumns}) " +
            $"SELECT {OutboxWriter.SqlValues("t.id", OutboxKinds.TicketCreated, "NULL", "@created_at")} FROM t)" + Event + result;
    }

    // Creates the ticket. One row: its number (null when not created) and the customer's open tickets before it (not
    // created and below the cap: the idempotency key is taken).
    public string Postgres { get; }

    public string PostgresWithOutbox { get; }

    // ---- EventFeed (issue #26): the create's ticket.created event (seq 1; the ticket row carries last_event_seq = 1),
    // always written, its number filled in from the sequence.
    private const string Event = ", e AS (INSERT INTO events (event_id, type, ticket_id, seq, created, data) " +
        $"SELECT @event_id, '{EventFeed.EventTypes.TicketCreated}', t.id, 1, @created_at, " +
        $"replace(@event_data, '{EventFeed.EventWriter.NumberPlaceholder}', '\"number\":' || t.number || ',') FROM t)";
    // ---- end EventFeed

    // ---- SQLite (SqliteTicketBatcher): no data-modifying CTEs, so the steps run one by one in the create's savepoint:
    // OpenTickets.SqliteCount, TicketNumbers.SqliteNext, the insert (@number from it), the outbox row and the event
    // (its data filled in with the number).

    public string SqliteInsert { get; }

    public static readonly string SqliteOutbox =
        $"INSERT INTO outbox ({OutboxWriter.SqlColumns}) VALUES ({OutboxWriter.SqlValues("@id", OutboxKinds.TicketCreated, "NULL", "@created_at")})";

    public const string SqliteEvent = "INSERT INTO events (event_id, type, ticket_id, seq, created, data) " +
        $"VALUES (@event_id, '{EventFeed.EventTypes.TicketCreated}', @id, 1, @created_at, @event_data)";

    // The insert's parameters but @number.
    public string[] ParameterNames { get; }

    public IEnumerable<(string Name, object? Value)> Values(Ticket ticket) => _values.Select(v => (v.Name, v.Value(ticket)));

    public void Bind(NpgsqlParameterCollection parameters, TicketWrite create)
    {
        foreach (var (name, value) in Values(create.Ticket)) parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        parameters.Add(new NpgsqlParameter("@max", (object?)create.MaxOpen ?? DBNull.Value));
        parameters.Add(new NpgsqlParameter("@event_id", create.EventId));
        parameters.Add(new NpgsqlParameter("@event_data", create.EventData));
    }

    public static CreateOutcome Read(TicketWrite create, System.Data.Common.DbDataReader reader)
    {
        if (!reader.IsDBNull(0))
        {
            create.Ticket.Number = reader.GetInt64(0);
            return new CreateOutcome(create.Ticket);
        }
        return create.MaxOpen is { } max && reader.GetInt64(1) >= max ? CreateOutcome.CapReached : CreateOutcome.KeyTaken;
    }

    private static Func<Ticket, object?> Getter(IProperty p)
    {
        if (p.GetValueConverter() is not null || p.PropertyInfo is null)
            throw new NotSupportedException($"Ticket.{p.Name}: the create path writes plain columns only");
        var t = Expression.Parameter(typeof(Ticket), "t");
        return Expression.Lambda<Func<Ticket, object?>>(Expression.Convert(Expression.Property(t, p.PropertyInfo), typeof(object)), t).Compile();
    }
}
