using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// SQLite's create writer (Storage/SqliteTicketBatcher.cs): one transaction per batch, a savepoint per create. A create
/// that breaks a constraint undoes only itself (its number too: numbers stay gap-free); a failure of the transaction
/// stores none of the batch, and the writer goes on.
/// </summary>
public sealed class SqliteTicketBatcherTests(SqliteApp app) : TicketBatcherTests(app), IClassFixture<SqliteApp>
{
    [Fact]
    public async Task A_create_that_breaks_a_constraint_fails_alone_and_leaves_no_gap()
    {
        var customer = Unique.Customer();
        app.ExecuteSql("CREATE TRIGGER fail_on_boom BEFORE INSERT ON tickets WHEN NEW.topic = 'boom' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
        (CreateOutcome[] Outcomes, List<string> Committed) result;
        try
        {
            result = await CreateInOneBatch(New(customer, "before"), New(customer, "boom"), New(customer, "after"));
        }
        finally
        {
            app.ExecuteSql("DROP TRIGGER fail_on_boom");
        }
        Assert.Null(result.Outcomes[1]);
        Assert.Contains("simulated failure", Assert.IsType<SqliteException>(LastErrors[1]).Message);
        Assert.Equal(result.Outcomes[0].Ticket!.Number + 1, result.Outcomes[2].Ticket!.Number);
        Assert.Equal(["held", "before", "after"], result.Committed);
    }

    [Fact]
    public async Task A_failed_transaction_stores_none_of_its_creates_and_the_writer_recovers()
    {
        var customer = Unique.Customer();
        // RAISE(ROLLBACK) undoes the whole transaction from inside it, as an I/O error or a full disk would: one
        // transaction per create (the EF create before the batcher) would have stored "before" and "after".
        app.ExecuteSql("CREATE TRIGGER fail_on_boom BEFORE INSERT ON tickets WHEN NEW.topic = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'simulated failure'); END");
        (CreateOutcome[] Outcomes, List<string> Committed) result;
        try
        {
            result = await CreateInOneBatch(New(customer, "before"), New(customer, "boom"), New(customer, "after"));
        }
        finally
        {
            app.ExecuteSql("DROP TRIGGER fail_on_boom");
        }
        Assert.All(result.Outcomes, Assert.Null);
        Assert.Equal(["held"], result.Committed);
        var client = app.ClientFor(customer);
        Assert.Equal(0, (await (await client.GetAsync("/api/v1/tickets")).Body()).GetArrayLength());
        long last;
        await using (var scope = app.Services.CreateAsyncScope())
            last = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.MaxAsync(t => t.Number);
        Assert.Equal(last + 1, (await client.CreateTicket("next")).GetProperty("number").GetInt64());
    }

    // SQLite's one WriteGate stripe, which the writer loop takes for every batch.
    protected override async Task<Func<Task>> HoldWritesAsync()
    {
        var lease = await app.Services.GetRequiredService<WriteGate>().EnterAllAsync([], CancellationToken.None);
        return () =>
        {
            lease.Dispose();
            return Task.CompletedTask;
        };
    }

}

/// <summary>
/// PostgreSQL's create writer (Storage/PostgresTicketBatcher.cs): a failing statement is retried alone and fails alone,
/// and a writer connection cut while idle is replaced.
/// </summary>
public sealed class PostgresTicketBatcherTests(PostgresApp app) : TicketBatcherTests(app), IClassFixture<PostgresApp>
{
    [Fact]
    public async Task A_failing_create_is_retried_alone_and_fails_alone()
    {
        var customer = Unique.Customer();
        app.ExecuteSql("""
            CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN IF NEW.topic = 'boom' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER fail_on_boom BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION fail_on_boom();
            """);
        (CreateOutcome[] Outcomes, List<string> Committed) result;
        try
        {
            result = await CreateInOneBatch(New(customer, "before"), New(customer, "boom"), New(customer, "after"));
        }
        finally
        {
            app.ExecuteSql("DROP TRIGGER fail_on_boom ON tickets; DROP FUNCTION fail_on_boom();");
        }
        Assert.NotNull(result.Outcomes[0].Ticket);
        Assert.Null(result.Outcomes[1]); // failed: see the exception's slot below
        Assert.NotNull(result.Outcomes[2].Ticket);
        Assert.Equal(["held", "before", "after"], result.Committed);
        Assert.Contains("simulated failure", Assert.IsType<PostgresException>(LastErrors[1]).MessageText);
    }

    [Fact]
    public async Task Writes_after_the_writers_connections_were_cut_while_idle_succeed_at_once()
    {
        // What a PostgreSQL restart does to a writer connection that sat idle: the server ends it (57P01), and the
        // connection only finds out at its next write.
        var client = app.ClientFor(Unique.Customer());
        var id = (await client.CreateTicket("opens the create writer's connection")).Str("id");
        await client.PostMessage(id, "opens the post writer's connection");
        app.ExecuteSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
            $"AND (query LIKE '%{TicketNumbers.Sequence}%' OR query LIKE '%INSERT INTO messages%')");
        await Task.Delay(1500);

        var created = await client.PostJson("/api/v1/tickets", new { topic = "after the cut", description = "d" });
        var posted = await client.PostJson($"/api/v1/tickets/{id}/messages", new { content = "after the cut" });

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(2, (await posted.Body()).GetProperty("seq").GetInt64());
    }

    // Holds the tickets table: the writer's statement waits in the database.
    protected override async Task<Func<Task>> HoldWritesAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE", connection, tx))
            await lockTable.ExecuteNonQueryAsync();
        return async () =>
        {
            await tx.RollbackAsync();
            await connection.DisposeAsync();
        };
    }

    private string ConnectionString => DatabaseTarget.From(new StorageOptions { DatabaseUrl = app.DatabaseUrl }).ConnectionString;

}
