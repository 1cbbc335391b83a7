using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

/// <summary>
/// Group commit for SQLite's one writer. Message posts queue here; one loop takes whatever has queued up (up to
/// <see cref="MaxBatch"/>), writes it in one transaction on its own connection with prepared statements, a
/// savepoint per post so a refused or conflicting post undoes only itself, then runs each post's
/// <c>committed</c> callback in commit order and answers its caller. Under load this shares one commit, one WAL
/// append and one gate hand-off among many posts; alone, a post is written at once. Callers hear of success only
/// after the commit; if the transaction fails, every post in it fails and none is half written.
/// </summary>
public sealed class SqliteMessageBatcher(DatabaseTarget target, WriteGate gate, ILogger<SqliteMessageBatcher> logger) : IAsyncDisposable
{
    public const int MaxBatch = 128;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private readonly List<Pending> _batch = new(MaxBatch);
    private Task? _loop;
    private Statements? _sql;

    public Task<Ticket?> WriteAsync(Message message, bool staff, Action<Ticket> committed, CancellationToken ct)
    {
        var pending = new Pending(message, staff, committed, ct);
        if (_loop is null)
            lock (_startLock) _loop ??= Task.Run(LoopAsync);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(SqliteMessageBatcher));
        return pending.Task;
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                using var _ = await gate.EnterAsync("", _stop.Token);
                _batch.Clear();
                while (_batch.Count < MaxBatch && reader.TryRead(out var next))
                    if (next.Cancellation.IsCancellationRequested) next.TrySetCanceled(next.Cancellation);
                    else _batch.Add(next);
                if (_batch.Count > 0) WriteBatch(_batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        foreach (var p in _batch) p.TrySetException(new ObjectDisposedException(nameof(SqliteMessageBatcher)));
        while (reader.TryRead(out var left)) left.TrySetException(new ObjectDisposedException(nameof(SqliteMessageBatcher)));
    }

    private void WriteBatch(List<Pending> batch)
    {
        var tickets = new Ticket?[batch.Count];
        var errors = new Exception?[batch.Count];
        try
        {
            var sql = _sql ??= Statements.Open(target.ConnectionString);
            sql.Begin.ExecuteNonQuery();
            for (var i = 0; i < batch.Count; i++)
            {
                sql.Savepoint.ExecuteNonQuery();
                try
                {
                    tickets[i] = sql.Write(batch[i]);
                    sql.Release.ExecuteNonQuery();
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19) // a constraint: this post only (idempotency key race)
                {
                    sql.RollbackToSavepoint.ExecuteNonQuery();
                    sql.Release.ExecuteNonQuery();
                    errors[i] = e;
                }
            }
            sql.Commit.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            // Nothing of this transaction is kept: roll back, start over on a fresh connection, fail every post.
            logger.LogError(e, "Message write of {Count} post(s) failed; none was stored", batch.Count);
            _sql?.Dispose();
            _sql = null;
            foreach (var p in batch) p.TrySetException(e);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } error) { batch[i].TrySetException(error); continue; }
            if (tickets[i] is { } ticket)
            {
                try { batch[i].Committed(ticket); }
                catch (Exception e) { logger.LogError(e, "After-commit step failed for ticket {TicketId}", ticket.Id); }
            }
            batch[i].TrySetResult(tickets[i]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop;
        _sql?.Dispose();
        _stop.Dispose();
    }

    private sealed class Pending(Message message, bool staff, Action<Ticket> committed, CancellationToken ct)
        : TaskCompletionSource<Ticket?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Message Message { get; } = message;
        public bool Staff { get; } = staff;
        public Action<Ticket> Committed { get; } = committed;
        public CancellationToken Cancellation { get; } = ct;
    }

    /// <summary>The writer's own connection and its statements, prepared once.</summary>
    private sealed class Statements : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _bump, _insert;
        public SqliteCommand Begin { get; }
        public SqliteCommand Commit { get; }
        public SqliteCommand Savepoint { get; }
        public SqliteCommand Release { get; }
        public SqliteCommand RollbackToSavepoint { get; }

        private Statements(SqliteConnection connection)
        {
            _connection = connection;
            Begin = Prepare("BEGIN IMMEDIATE");
            Commit = Prepare("COMMIT");
            Savepoint = Prepare("SAVEPOINT post");
            Release = Prepare("RELEASE post");
            RollbackToSavepoint = Prepare("ROLLBACK TO post");
            _bump = Prepare(MessageSql.Bump, MessageSql.ParameterNames);
            _insert = Prepare(MessageSql.SqliteInsert, [.. MessageSql.ParameterNames, "@seq"]);
        }

        public static Statements Open(string connectionString)
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
                return new Statements(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>Bump and insert for one post; null when the ticket is not there for this caller or is closed.</summary>
        public Ticket? Write(Pending post)
        {
            foreach (var (name, value) in MessageSql.Parameters(post.Message, post.Staff))
                _bump.Parameters[name].Value = _insert.Parameters[name].Value = value ?? DBNull.Value;
            Ticket? ticket;
            using (var reader = _bump.ExecuteReader())
                ticket = reader.Read() ? MessageSql.ReadTicket(reader) : null;
            if (ticket is null) return null;
            _insert.Parameters["@seq"].Value = ticket.LastSeq;
            _insert.ExecuteNonQuery();
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
            foreach (var c in new[] { Begin, Commit, Savepoint, Release, RollbackToSavepoint, _bump, _insert }) c.Dispose();
            _connection.Dispose();
        }
    }
}
