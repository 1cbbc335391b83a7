using Microsoft.Data.Sqlite;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Storage;

// SQLite's side of MessageBatcher: one loop (SQLite has one writer) on its own connection with prepared statements; per
// post a savepoint holds the bump and the insert, so a refused or conflicting post undoes only itself.
public sealed class SqliteMessageBatcher(DatabaseTarget target, MessageSql messageSql, WriteGate gate, ILogger<SqliteMessageBatcher> logger)
    : MessageBatcher(loops: 1, gate, logger)
{
    private Statements? _sql;

    protected override Task<(Ticket? Result, Exception? Error)[]> WriteBatchAsync(int loop, List<Pending> batch, CancellationToken ct)
    {
        var results = new (Ticket?, Exception?)[batch.Count];
        var sql = _sql ??= Statements.Open(target.ConnectionString, messageSql);
        sql.Begin.ExecuteNonQuery();
        for (var i = 0; i < batch.Count; i++)
        {
            sql.Savepoint.ExecuteNonQuery();
            try
            {
                results[i] = (sql.Write(batch[i].Write), null);
                sql.Release.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) // a constraint: this post only (idempotency key race)
            {
                sql.RollbackToSavepoint.ExecuteNonQuery();
                sql.Release.ExecuteNonQuery();
                results[i] = (null, e);
            }
        }
        sql.Commit.ExecuteNonQuery();
        return Task.FromResult(results);
    }

    protected override void Reset(int loop)
    {
        _sql?.Dispose();
        _sql = null;
    }

    private sealed class Statements : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly MessageSql _sql;
        private readonly SqliteCommand _bump, _insert, _outbox, _event;
        public SqliteCommand Begin { get; }
        public SqliteCommand Commit { get; }
        public SqliteCommand Savepoint { get; }
        public SqliteCommand Release { get; }
        public SqliteCommand RollbackToSavepoint { get; }

        private Statements(SqliteConnection connection, MessageSql sql)
        {
            _connection = connection;
            _sql = sql;
            Begin = Prepare("BEGIN IMMEDIATE");
            Commit = Prepare("COMMIT");
            Savepoint = Prepare("SAVEPOINT post");
            Release = Prepare("RELEASE post");
            RollbackToSavepoint = Prepare("ROLLBACK TO post");
            _bump = Prepare(sql.Bump, MessageSql.ParameterNames);
            _insert = Prepare(MessageSql.SqliteInsert, [.. MessageSql.ParameterNames, "@seq", "@public_seq"]);
            _outbox = Prepare(MessageSql.SqliteOutbox, ["@ticket_id", "@id", "@now"]);
            _event = Prepare(MessageSql.SqliteEvent, ["@event_id", "@ticket_id", "@event_seq", "@now", "@event_data"]);
        }

        public static Statements Open(string connectionString, MessageSql sql)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using (var pragmas = connection.CreateCommand())
                {
                    pragmas.CommandText = SqlitePragmas.Pragmas;
                    pragmas.ExecuteNonQuery();
                }
                return new Statements(connection, sql);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

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

        private SqliteCommand Prepare(string sql, string[]? parameters = null)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters ?? []) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            command.Prepare();
            return command;
        }

        public void Dispose()
        {
            if (_connection.State == System.Data.ConnectionState.Open)
                try { using var rollback = _connection.CreateCommand(); rollback.CommandText = "ROLLBACK"; rollback.ExecuteNonQuery(); }
                catch (SqliteException) { } // no transaction was open
            foreach (var c in new[] { Begin, Commit, Savepoint, Release, RollbackToSavepoint, _bump, _insert, _outbox, _event }) c.Dispose();
            _connection.Dispose();
        }
    }
}
