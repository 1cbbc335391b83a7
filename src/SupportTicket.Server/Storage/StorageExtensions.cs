using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Storage;

internal static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton(sp => DatabaseTarget.From(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => new DataDirectory(sp.GetRequiredService<DatabaseTarget>().DataDirectory));
        services.AddSingleton<WriteGate>();
        services.AddDbContextPool<AppDbContext>((sp, options) =>
        {
            var target = sp.GetRequiredService<DatabaseTarget>();
            if (target.Provider == DatabaseProvider.Postgres)
                options.UseNpgsql(target.ConnectionString);
            else
                options.UseSqlite(target.ConnectionString).AddInterceptors(new SqlitePragmas());
            // The migrations are hand-written, so there is no model snapshot to compare with.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
            options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        });
        services.AddHostedService<DatabaseMigrator>();
        return services.AddStoreWrites();
    }

    private static IServiceCollection AddStoreWrites(this IServiceCollection services)
    {
        services.AddSingleton(sp => new MessageSql(ModelOf(sp)));
        services.AddSingleton(sp => new TicketSql(ModelOf(sp)));
        services.AddSingleton<MessageBatcher>(sp => IsPostgres(sp)
            ? ActivatorUtilities.CreateInstance<PostgresMessageBatcher>(sp)
            : ActivatorUtilities.CreateInstance<SqliteMessageBatcher>(sp));
        services.AddSingleton<ITicketCreator>(sp => IsPostgres(sp)
            ? ActivatorUtilities.CreateInstance<PostgresTicketBatcher>(sp)
            : ActivatorUtilities.CreateInstance<SqliteTicketBatcher>(sp));
        return services;
    }

    private static bool IsPostgres(IServiceProvider sp) => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres;

    private static Microsoft.EntityFrameworkCore.Metadata.IModel ModelOf(IServiceProvider sp)
    {
        using var scope = sp.CreateScope();
        return scope.ServiceProvider.GetRequiredService<AppDbContext>().Model;
    }
}

internal sealed class DatabaseMigrator(IServiceProvider services, TimeProvider time, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var target = scope.ServiceProvider.GetRequiredService<DatabaseTarget>();
        using var sqliteLock = target.Provider == DatabaseProvider.Sqlite ? await LockSqliteAsync(db, target, cancellationToken) : null;
        if (target.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        List<string> pending;
        try
        {
            pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // One clear line for the operator instead of a driver stack trace.
            throw new ConfigurationException($"DATABASE_URL: cannot open the {target.Provider} database: {e.Message}");
        }
        logger.LogInformation("Storage {Provider} ready; applied {Count} migration(s)", target.Provider, pending.Count);
    }

    private async Task<SqliteMigrationLock> LockSqliteAsync(AppDbContext db, DatabaseTarget target, CancellationToken ct)
    {
        var file = target.SqliteFile!;
        var held = await SqliteMigrationLock.AcquireAsync(file, SqliteMigrationLock.DefaultWait, time, ct);
        try
        {
            if (await held.ClearLeftoverAsync(db, ct) is { } takenAt)
                logger.LogWarning("Removed the migration lock left in {Database} (taken {TakenAt}) by a server that stopped " +
                                  "during a migration; pending migrations are applied now", file, takenAt);
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
