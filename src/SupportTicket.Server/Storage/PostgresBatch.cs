using Npgsql;

namespace SupportTicket.Server.Storage;

/// <summary>
/// PostgreSQL's side of a <see cref="GroupCommit{TWrite,TResult}"/> loop: its own connection, and a batch sent as one
/// transaction of one statement per write, in one round trip. When a statement fails (an idempotency key raced, a
/// deadlock with another node), the transaction is gone as a whole and each write is sent again in its own
/// transaction, so only the write at fault sees its error.
/// </summary>
/// <param name="statement">The SQL of one write; it returns one row (the write's result) or none (refused).</param>
internal sealed class PostgresBatch<TWrite, TResult>(
    DatabaseTarget target, Func<TWrite, string> statement, Action<TWrite, NpgsqlParameterCollection> bind, Func<TWrite, NpgsqlDataReader, TResult> read)
    where TResult : class
{
    private NpgsqlConnection? _connection;

    public async Task<(TResult? Result, Exception? Error)[]> WriteAsync(IReadOnlyList<TWrite> writes, ILogger logger, CancellationToken ct)
    {
        // A connection PostgreSQL dropped (restart, failover) is replaced here, so the write path recovers by itself.
        if (_connection is { State: not System.Data.ConnectionState.Open } broken)
        {
            await broken.DisposeAsync();
            _connection = null;
        }
        var connection = _connection ??= await OpenAsync(ct);
        if (writes.Count == 1) return [await WriteOneAsync(connection, writes[0], ct)];
        var results = new (TResult?, Exception?)[writes.Count];
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlBatch(connection, tx);
            foreach (var write in writes)
            {
                var one = new NpgsqlBatchCommand(statement(write));
                bind(write, one.Parameters);
                command.BatchCommands.Add(one);
            }
            await using (var reader = await command.ExecuteReaderAsync(ct))
                for (var i = 0; i < writes.Count; i++)
                {
                    if (i > 0) await reader.NextResultAsync(ct);
                    results[i] = (await reader.ReadAsync(ct) ? read(writes[i], reader) : null, null);
                }
            await tx.CommitAsync(ct);
            return results;
        }
        catch (PostgresException e)
        {
            logger.LogDebug(e, "Batch of {Count} write(s) rolled back ({SqlState}); writing them one by one", writes.Count, e.SqlState);
            for (var i = 0; i < writes.Count; i++) results[i] = await WriteOneAsync(connection, writes[i], ct);
            return results;
        }
    }

    /// <summary>One write in its own transaction; a database error is this write's alone.</summary>
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
