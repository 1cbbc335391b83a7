using Microsoft.Data.Sqlite;

namespace SupportTicket.Server.Storage;

// SQLite's side of a GroupCommit loop (SQLite has one writer, so one loop): its own connection with prepared
// statements, one BEGIN IMMEDIATE..COMMIT per batch and a savepoint per write, so a write that breaks a constraint
// undoes only itself. Any other error fails the batch; disposing this rolls back what was not committed.
internal sealed class SqliteBatch : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _begin, _commit, _savepoint, _release, _rollbackTo;

    private SqliteBatch(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _savepoint = Prepare("SAVEPOINT write");
        _release = Prepare("RELEASE write");
        _rollbackTo = Prepare("ROLLBACK TO write");
    }

    public static SqliteBatch Open(string connectionString)
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
            return new SqliteBatch(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        _commands.Add(command);
        return command;
    }

    // constraint: the write's result when it broke a constraint (its savepoint is undone), or null to report the error.
    public (TResult? Result, Exception? Error)[] Write<TWrite, TResult>(
        IReadOnlyList<TWrite> writes, Func<TWrite, TResult?> write, Func<TWrite, SqliteException, TResult?> constraint) where TResult : class
    {
        var results = new (TResult?, Exception?)[writes.Count];
        _begin.ExecuteNonQuery();
        for (var i = 0; i < writes.Count; i++)
        {
            _savepoint.ExecuteNonQuery();
            try
            {
                results[i] = (write(writes[i]), null);
                _release.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                _rollbackTo.ExecuteNonQuery();
                _release.ExecuteNonQuery();
                results[i] = constraint(writes[i], e) is { } result ? (result, null) : (null, e);
            }
        }
        _commit.ExecuteNonQuery();
        return results;
    }

    public void Dispose()
    {
        if (_connection.State == System.Data.ConnectionState.Open)
            try { using var rollback = _connection.CreateCommand(); rollback.CommandText = "ROLLBACK"; rollback.ExecuteNonQuery(); }
            catch (SqliteException) { } // no transaction was open
        foreach (var c in _commands) c.Dispose();
        _connection.Dispose();
    }
}
