using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// PostgreSQL takes ticket numbers from a sequence (Storage/TicketNumbers.cs): a create no longer queues behind another
/// create's lock on the counters row until that one has committed. SQLite keeps the row (ConcurrencyTests: gap-free).
/// </summary>
public sealed class PostgresTicketNumberTests
{
    [Fact]
    public async Task A_create_does_not_wait_for_a_transaction_holding_the_counters_row()
    {
        using var app = new TestApp(Store.Postgres);
        var first = (await app.ClientFor(Unique.Customer()).CreateTicket()).GetProperty("number").GetInt64();

        await using var holder = new NpgsqlConnection(ConnectionString(app));
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("UPDATE counters SET value = value WHERE name = 'ticket_number'", holder, tx))
            await lockRow.ExecuteNonQueryAsync();
        var create = app.ClientFor(Unique.Customer()).CreateTicket();
        var finished = await Task.WhenAny(create, Task.Delay(TimeSpan.FromSeconds(10)));
        await tx.RollbackAsync();

        Assert.Same(create, finished);
        Assert.Equal(first + 1, (await create).GetProperty("number").GetInt64());
    }

    [Fact]
    public async Task The_sequence_continues_after_the_last_number_the_counters_row_handed_out()
    {
        using var app = new TestApp(Store.Postgres);
        var client = app.ClientFor(Unique.Admin());
        await client.CreateTicket();
        using (var scope = app.Services.CreateScope())
        {
            // A database from before the sequence: migrate down (the row takes over again), hand out numbers up to 41
            // the old way, migrate up again.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261121000001_Initial");
            Assert.Equal(1, await db.Database.SqlQueryRaw<long>("SELECT value AS \"Value\" FROM counters WHERE name = 'ticket_number'").SingleAsync());
            await db.Database.ExecuteSqlRawAsync("UPDATE counters SET value = 41 WHERE name = 'ticket_number'");
            await migrator.MigrateAsync();
        }
        NpgsqlConnection.ClearAllPools();

        Assert.Equal(42, (await client.CreateTicket()).GetProperty("number").GetInt64());
        Assert.Equal(43, (await client.CreateTicket()).GetProperty("number").GetInt64());
    }

    private static string ConnectionString(TestApp app) =>
        DatabaseTarget.From(new StorageOptions { DatabaseUrl = app.DatabaseUrl }).ConnectionString;
}
