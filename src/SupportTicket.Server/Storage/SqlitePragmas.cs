using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SupportTicket.Server.Storage;

/// <summary>
/// WAL with synchronous=NORMAL: a committed write survives a process crash; only a power loss can take the
/// last few commits (ENVIRONMENT.md: ~13,000 tx/s vs ~3,700 with FULL). busy_timeout covers readers racing
/// a checkpoint; writers are already serialized by <see cref="WriteGate"/>.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
