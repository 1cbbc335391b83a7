using Npgsql;

namespace SupportTicket.Server.Storage;

// PostgreSQL's side of a GroupCommit loop: its own connection, one transaction of one statement per write, one round
// trip. When a statement fails the transaction is gone, so each write is sent again alone and only the one at fault
// sees its error. A connection lost before COMMIT is replaced and the batch resent: safe, because a write after a quiet
// second always goes in an explicit transaction. A loss during COMMIT is the caller's error (it may have committed).
internal sealed class PostgresBatch<TWrite, TResult>(
    DatabaseTarget target, Func<TWrite, string> statement, Action<TWrite, NpgsqlParameterCollection> bind, Func<TWrite, NpgsqlDataReader, TResult> read)
    where TResult : class
{
    private NpgsqlConnection? _connection;

    // A connection unused this long may have been cut (a PostgreSQL restart) without its state showing it.
    private const long QuietMs = 1000;

    private long _lastUsed;

    public async Task<(TResult? Result, Exception? Error)[]> WriteAsync(IReadOnlyList<TWrite> writes, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (_connection is { State: not System.Data.ConnectionState.Open } broken)
            {
                await broken.DisposeAsync();
                _connection = null;
            }
            var connection = _connection ??= await OpenAsync(ct);
            var quiet = Environment.TickCount64 - _lastUsed > QuietMs;
            _lastUsed = Environment.TickCount64;
            if (writes.Count == 1 && !quiet) return [await WriteOneAsync(connection, writes[0], ct)];
            try
            {
                return await WriteInTransactionAsync(connection, writes, logger, ct);
            }
            catch (NotCommittedException e) when (attempt == 1)
            {
                // The connection broke before COMMIT was sent, so nothing of the batch is stored: the typical case is
                // the first write after PostgreSQL restarted while this connection sat idle. Once more on a new one.
                logger.LogWarning(e.InnerException, "The write connection to PostgreSQL was lost before the commit; reconnecting and writing again");
                Reset();
            }
            catch (NotCommittedException e)
            {
                throw e.InnerException!;
            }
        }
    }

    private async Task<(TResult? Result, Exception? Error)[]> WriteInTransactionAsync(
        NpgsqlConnection connection, IReadOnlyList<TWrite> writes, ILogger logger, CancellationToken ct)
    {
        var results = new (TResult?, Exception?)[writes.Count];
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlBatch(connection, tx);
            foreach (var write in writes)
            {
                var one = new NpgsqlBatchCommand(statement(write));
                bind(write, one.Parameters);
                command.BatchCommands.Add(one);
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            for (var i = 0; i < writes.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync(ct);
                results[i] = (await reader.ReadAsync(ct) ? read(writes[i], reader) : null, null);
            }
        }
        catch (NpgsqlException e) when (e is not PostgresException || Broken(connection))
        {
            // Also a PostgresException when the server said goodbye first (57P01 at a restart or a terminated backend).
            if (tx is not null)
                try { await tx.DisposeAsync(); }
                catch (Exception) { } // the connection is gone; so is the transaction
            throw new NotCommittedException(e);
        }
        catch (PostgresException e)
        {
            await tx!.DisposeAsync(); // rolls back: nothing of the batch is stored
            logger.LogDebug(e, "Batch of {Count} write(s) rolled back ({SqlState}); writing them one by one", writes.Count, e.SqlState);
            for (var i = 0; i < writes.Count; i++) results[i] = await WriteOneAsync(connection, writes[i], ct);
            return results;
        }
        await using (tx)
            await tx.CommitAsync(ct); // a failure from here on is not retried: the commit may have happened
        return results;
    }

    private static bool Broken(NpgsqlConnection connection) =>
        connection.State != System.Data.ConnectionState.Open || connection.FullState.HasFlag(System.Data.ConnectionState.Broken);

    private sealed class NotCommittedException(Exception inner) : Exception(inner.Message, inner);

    private async Task<(TResult?, Exception?)> WriteOneAsync(NpgsqlConnection connection, TWrite write, CancellationToken ct)
    {
        try
        {
            await using var command = new NpgsqlCommand(statement(write), connection);
            bind(write, command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return (await reader.ReadAsync(ct) ? read(write, reader) : null, null);
        }
        catch (PostgresException e)
        {
            return (null, e);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
