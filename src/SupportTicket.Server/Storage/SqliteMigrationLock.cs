using Microsoft.EntityFrameworkCore;

namespace SupportTicket.Server.Storage;

// EF Core's SQLite migration lock is a row in __EFMigrationsLock that only its holder deletes: a server killed during
// Migrate() leaves it behind, and every later start waits for it forever, silently (EF sets no timeout there).
// SQLite is one host and one file, so an OS file lock beside the database tells for sure whether another process is
// migrating: the OS releases it when its holder dies. Whoever holds that file lock may clear a row left behind.
internal sealed class SqliteMigrationLock : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);
    private readonly FileStream _file;

    private SqliteMigrationLock(FileStream file) => _file = file;

    public static string PathFor(string databaseFile) => databaseFile + ".migrate-lock";

    public static async Task<SqliteMigrationLock> AcquireAsync(string databaseFile, TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        var path = PathFor(databaseFile);
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (time.GetElapsedTime(started) < wait)
            {
                await Task.Delay(Retry, time, ct);
            }
            catch (IOException)
            {
                throw new ConfigurationException(
                    $"DATABASE_URL: another process has been migrating the SQLite database {databaseFile} for over " +
                    $"{wait.TotalSeconds:0} s (it holds {path}); stop the other server on this file, or start this one once it is up");
            }
        }
    }

    // The Timestamp of the row a dead migrator left (EF writes it when it takes the lock), or null when there was none.
    public async Task<string?> ClearLeftoverAsync(AppDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var find = connection.CreateCommand();
            find.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
            if (Convert.ToInt64(await find.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0) return null;
            find.CommandText = "SELECT \"Timestamp\" FROM \"__EFMigrationsLock\" WHERE \"Id\" = 1";
            var takenAt = await find.ExecuteScalarAsync(ct) as string;
            if (takenAt is null) return null;
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM \"__EFMigrationsLock\" WHERE \"Id\" = 1";
            await delete.ExecuteNonQueryAsync(ct);
            return takenAt;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public void Dispose() => _file.Dispose();
}
