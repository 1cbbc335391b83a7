using Microsoft.Data.Sqlite;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// SQLite's side of MessageBatcher (SqliteBatch): per post a savepoint holds the bump and the insert, so a refused or
// conflicting post undoes only itself.
public sealed class SqliteMessageBatcher(DatabaseTarget target, MessageSql messageSql, WriteGate gate, ILogger<SqliteMessageBatcher> logger)
    : MessageBatcher(loops: 1, gate, logger)
{
    private Statements? _sql;

    protected override Task<(Ticket? Result, Exception? Error)[]> WriteBatchAsync(int loop, List<Pending> batch, CancellationToken ct)
    {
        var sql = _sql ??= new Statements(SqliteBatch.Open(target.ConnectionString), messageSql);
        // A constraint (the idempotency key race) fails that post only.
        return Task.FromResult(sql.Batch.Write(batch, p => sql.Write(p.Write), (_, _) => (Ticket?)null));
    }

    protected override void Reset(int loop)
    {
        _sql?.Batch.Dispose();
        _sql = null;
    }

    private sealed class Statements
    {
        private readonly MessageSql _sql;
        private readonly SqliteCommand _bump, _insert, _outbox, _event;

        public Statements(SqliteBatch batch, MessageSql sql)
        {
            Batch = batch;
            _sql = sql;
            try
            {
                _bump = batch.Prepare(sql.Bump, MessageSql.ParameterNames);
                _insert = batch.Prepare(MessageSql.SqliteInsert, [.. MessageSql.ParameterNames, "@seq", "@public_seq"]);
                _outbox = batch.Prepare(MessageSql.SqliteOutbox, "@ticket_id", "@id", "@now");
                _event = batch.Prepare(MessageSql.SqliteEvent, "@event_id", "@ticket_id", "@event_seq", "@now", "@event_data");
            }
            catch
            {
                batch.Dispose();
                throw;
            }
        }

        public SqliteBatch Batch { get; }

        public Ticket? Write(PostWrite post)
        {
            foreach (var (name, value) in MessageSql.Parameters(post.Message, post.Staff, post.Timers))
            {
                _bump.Parameters[name].Value = _insert.Parameters[name].Value = value ?? DBNull.Value;
                if (_outbox.Parameters.Contains(name)) _outbox.Parameters[name].Value = value ?? DBNull.Value;
                if (_event.Parameters.Contains(name)) _event.Parameters[name].Value = value ?? DBNull.Value;
            }
            Ticket? ticket;
            using (var reader = _bump.ExecuteReader())
                ticket = reader.Read() ? _sql.ReadTicket(reader) : null;
            if (ticket is null) return null;
            _insert.Parameters["@seq"].Value = ticket.LastSeq;
            _insert.Parameters["@public_seq"].Value = ticket.LastPublicSeq;
            _insert.ExecuteNonQuery();
            if (post.Outbox) _outbox.ExecuteNonQuery();
            _event.Parameters["@event_id"].Value = post.EventId;
            _event.Parameters["@event_seq"].Value = ticket.LastEventSeq;
            _event.Parameters["@event_data"].Value = EventFeed.EventWriter.FillSeq(post.EventData, ticket.LastSeq);
            _event.ExecuteNonQuery();
            return ticket;
        }
    }
}
