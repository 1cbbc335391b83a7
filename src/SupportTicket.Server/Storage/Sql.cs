using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SupportTicket.Server.Storage;

internal static class Sql
{
    public static async Task<DbCommand> CommandAsync(AppDbContext db, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }

    public static bool IsUniqueViolation(Exception? e) => e switch
    {
        DbUpdateException u => IsUniqueViolation(u.InnerException),
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}

internal static class Ids
{
    // Time-ordered, so ids sort roughly by creation and index well.
    public static string New() => Guid.CreateVersion7().ToString("N");
}
