using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>One statement as the server sent it: its text and its parameters' names, types and values.</summary>
public sealed record RecordedSql(string Text, IReadOnlyList<(string Name, DbType Type, object? Value)> Parameters);

/// <summary>Records every query the app's <c>AppDbContext</c> runs while <see cref="Recording"/> is on.</summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<RecordedSql> _commands = new();

    public volatile bool Recording;

    public IReadOnlyCollection<RecordedSql> Commands => _commands;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        if (!Recording) return;
        _commands.Enqueue(new RecordedSql(command.CommandText,
            command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.DbType, p.Value)).ToList()));
    }
}
