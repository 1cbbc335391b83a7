using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Storage;

public sealed class SqliteMigrationLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("st-migrate-lock-").FullName;

    private string DatabaseFile => Path.Combine(_dir, "tickets.db");

    [Fact]
    public async Task A_lock_left_by_a_server_killed_while_migrating_is_cleared_at_the_next_start_and_nothing_is_lost()
    {
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = "sqlite:" + DatabaseFile };
        var customer = Unique.Customer();
        string ticketId;
        using (var first = new RunningServer(environment))
        {
            await first.WaitUntilReadyAsync();
            using var client = ClientOf(first, customer);
            ticketId = (await client.CreateTicket()).Str("id");
            await client.PostMessage(ticketId, "written before the crash");
            first.Kill();
        }
        await LeaveEfMigrationLockAsync();

        using var second = new RunningServer(environment);
        await second.WaitUntilReadyAsync(); // before the fix: never, EF waited for the row forever without a word
        using var again = ClientOf(second, customer);
        var messages = await (await again.GetAsync($"/api/v1/tickets/{ticketId}/messages")).Body();
        Assert.Equal("written before the crash", Assert.Single(messages.EnumerateArray()).Str("content"));
        Assert.Contains(second.Lines, l => l.Contains("Removed the migration lock", StringComparison.Ordinal) && l.Contains(DatabaseFile, StringComparison.Ordinal));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM \"__EFMigrationsLock\""));
    }

    [Fact]
    public async Task A_live_migrator_on_the_same_file_is_waited_for_then_its_lock_is_taken()
    {
        var time = new FakeTimeProvider();
        var holder = await SqliteMigrationLock.AcquireAsync(DatabaseFile, TimeSpan.FromSeconds(60), time, default);
        var waiting = SqliteMigrationLock.AcquireAsync(DatabaseFile, TimeSpan.FromSeconds(60), time, default);
        await AdvanceAsync(time, TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);

        holder.Dispose();
        using var taken = await AdvanceUntilDoneAsync(time, waiting);
    }

    [Fact]
    public async Task A_migrator_that_never_finishes_fails_the_start_with_one_line_naming_the_file()
    {
        var time = new FakeTimeProvider();
        using var holder = await SqliteMigrationLock.AcquireAsync(DatabaseFile, TimeSpan.FromSeconds(60), time, default);
        var waiting = SqliteMigrationLock.AcquireAsync(DatabaseFile, TimeSpan.FromSeconds(60), time, default);
        await AdvanceAsync(time, TimeSpan.FromSeconds(59));
        Assert.False(waiting.IsCompleted);

        var refused = await Assert.ThrowsAsync<ConfigurationException>(() => AdvanceUntilDoneAsync(time, waiting));
        Assert.Contains(DatabaseFile, refused.Message);
        Assert.Contains(SqliteMigrationLock.PathFor(DatabaseFile), refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
    }

    // Exactly what EF Core 10's SqliteHistoryRepository writes when it takes the lock; only its holder deletes the row.
    private async Task LeaveEfMigrationLockAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
            INSERT OR IGNORE INTO "__EFMigrationsLock"("Id", "Timestamp") VALUES(1, $taken);
            """;
        command.Parameters.AddWithValue("$taken", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static HttpClient ClientOf(RunningServer server, TestUser user)
    {
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(user));
        return client;
    }

    // The waiter retries every 250 ms of the fake clock. Its first try ran inside AcquireAsync; each later one runs
    // once a step of the clock has fired its delay, so the clock goes on until the waiter has given an answer.
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan by)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += TimeSpan.FromMilliseconds(250))
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }
    }

    private static async Task<T> AdvanceUntilDoneAsync<T>(FakeTimeProvider time, Task<T> waiting)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!waiting.IsCompleted && limit.Elapsed < TimeSpan.FromSeconds(30))
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }
        return await waiting.WaitAsync(TimeSpan.FromSeconds(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
