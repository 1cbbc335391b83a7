using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// PostgreSQL's group-committed ticket creates, on the real app and database: creates that share one transaction
/// keep their own outcome (created, at the cap, key taken), a failing statement fails alone, and every column of
/// the ticket is written.
/// </summary>
public sealed class TicketBatcherTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task Creates_in_one_batch_each_keep_their_own_outcome()
    {
        var (a, b, c) = (Unique.Customer(), Unique.Customer(), Unique.Customer());
        var key = Guid.NewGuid().ToString("N");

        var (outcomes, committed) = await CreateInOneBatch(
            New(a, "a1"), New(a, "a2"), New(a, "a3"), New(b, "b keyed", key), New(b, "b keyed again", key), New(c, "c1"));

        Assert.NotNull(outcomes[0].Ticket);
        Assert.NotNull(outcomes[1].Ticket);
        Assert.Same(CreateOutcome.CapReached, outcomes[2]); // the cap (2) counts a1 and a2 of the same transaction
        Assert.NotNull(outcomes[3].Ticket);
        Assert.Same(CreateOutcome.KeyTaken, outcomes[4]);
        Assert.NotNull(outcomes[5].Ticket);
        var numbers = new[] { 0, 1, 3, 5 }.Select(i => outcomes[i].Ticket!.Number).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(4, numbers.Distinct().Count());
        Assert.Equal(["held", "a1", "a2", "b keyed", "c1"], committed);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(["a1", "a2"], await db.Tickets.Where(t => t.UserId == a.Id).OrderBy(t => t.Number).Select(t => t.Topic).ToListAsync());
        Assert.Equal(["b keyed"], await db.Tickets.Where(t => t.UserId == b.Id).Select(t => t.Topic).ToListAsync());
    }

    [Fact]
    public async Task A_created_ticket_has_every_field_it_was_given()
    {
        var customer = Unique.Customer();
        var ticket = New(customer, "all fields", "key-1").Ticket;
        ticket.Email = "c@example.com";
        ticket.AssigneeId = "someone";
        ticket.IssueLevel = "URGENT";
        ticket.SupportRole = "TECHNICAL";

        var (outcomes, _) = await CreateInOneBatch(EventWrites.Create(app.Services, ticket, null));

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.SingleAsync(t => t.Id == ticket.Id);
        var written = outcomes[0].Ticket!;
        // Every property, by reflection: a field added to Ticket later is checked without touching this test.
        foreach (var property in typeof(Ticket).GetProperties())
            Assert.True(Equals(property.GetValue(stored), property.GetValue(written)),
                $"Ticket.{property.Name}: stored {property.GetValue(stored)}, the create gave {property.GetValue(written)}");
        Assert.True(written.Number > 0);
    }

    [Fact]
    public async Task With_the_Discord_outbox_on_a_create_writes_its_outbox_row_and_a_refused_one_does_not()
    {
        var customer = Unique.Customer();
        var creates = Enumerable.Range(0, 3).Select(i => New(customer, $"t{i}") with { Outbox = true }).ToArray();

        var (outcomes, _) = await CreateInOneBatch(creates);

        Assert.Same(CreateOutcome.CapReached, outcomes[2]);
        await using var scope = app.Services.CreateAsyncScope();
        var ids = creates.Select(c => c.Ticket.Id).ToList();
        var rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Outbox.Where(o => ids.Contains(o.TicketId)).ToListAsync();
        Assert.Equal(ids.Take(2).Order(), rows.Select(r => r.TicketId).Order());
        Assert.All(rows, r =>
        {
            Assert.Equal(SupportTicket.Server.Outbox.OutboxKinds.TicketCreated, r.Kind);
            Assert.Equal(1_800_000_000_000, r.CreatedAt);
            Assert.Equal(r.CreatedAt, r.NextAttemptAt);
        });
    }

    [Fact]
    public async Task A_failing_create_is_retried_alone_and_fails_alone()
    {
        var customer = Unique.Customer();
        Execute("""
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
            Execute("DROP TRIGGER fail_on_boom ON tickets; DROP FUNCTION fail_on_boom();");
        }
        Assert.NotNull(result.Outcomes[0].Ticket);
        Assert.Null(result.Outcomes[1]); // failed: see the exception's slot below
        Assert.NotNull(result.Outcomes[2].Ticket);
        Assert.Equal(["held", "before", "after"], result.Committed);
        Assert.Contains("simulated failure", Assert.IsType<PostgresException>(_lastErrors[1]).MessageText);
    }

    [Fact]
    public async Task Writes_after_the_writers_connections_were_cut_while_idle_succeed_at_once()
    {
        // What a PostgreSQL restart does to a writer connection that sat idle: the server ends it (57P01), and the
        // connection only finds out at its next write.
        var client = app.ClientFor(Unique.Customer());
        var id = (await client.CreateTicket("opens the create writer's connection")).Str("id");
        await client.PostMessage(id, "opens the post writer's connection");
        Execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
            $"AND (query LIKE '%{TicketNumbers.Sequence}%' OR query LIKE '%INSERT INTO messages%')");
        await Task.Delay(1500);

        var created = await client.PostJson("/api/v1/tickets", new { topic = "after the cut", description = "d" });
        var posted = await client.PostJson($"/api/v1/tickets/{id}/messages", new { content = "after the cut" });

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(2, (await posted.Body()).GetProperty("seq").GetInt64());
    }

    private readonly Exception?[] _lastErrors = new Exception?[16];

    private TicketWrite New(TestUser customer, string topic, string? key = null) => EventWrites.Create(app.Services, new Ticket
    {
        Id = Guid.CreateVersion7().ToString("N"), UserId = customer.Id, Username = customer.Username, UserRole = customer.Role,
        Topic = topic, Description = "d", CreatedAt = 1_800_000_000, UpdatedAt = 1_800_000_000, IdempotencyKey = key,
    }, maxOpen: 2);

    /// <summary>
    /// Holds the tickets table while a first create ("held") waits in the database and the given creates queue
    /// behind it in the batcher, so it takes them as one transaction once the table is let go. Returns each create's
    /// outcome (null where it failed; its error in <see cref="_lastErrors"/>) and the committed steps in order.
    /// </summary>
    private async Task<(CreateOutcome[] Outcomes, List<string> Committed)> CreateInOneBatch(params TicketWrite[] creates)
    {
        var batcher = app.Services.GetRequiredService<ITicketCreator>();
        var committed = new ConcurrentQueue<string>();
        Task<CreateOutcome> Create(TicketWrite w) => batcher.CreateAsync(w, t => committed.Enqueue(t.Topic), CancellationToken.None);
        Task<CreateOutcome> held;
        Task<CreateOutcome>[] writes;
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE", connection, tx))
                await lockTable.ExecuteNonQueryAsync();
            held = Create(New(Unique.Customer(), "held"));
            await Task.Delay(200); // let the writer send "held" and wait for the lock; the outcomes below hold either way
            writes = creates.Select(Create).ToArray();
            await Task.Delay(100);
            await tx.RollbackAsync();
        }
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        var outcomes = new CreateOutcome[writes.Length];
        for (var i = 0; i < writes.Length; i++)
        {
            try { outcomes[i] = await writes[i].WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (PostgresException e) { _lastErrors[i] = e; outcomes[i] = null!; }
        }
        return (outcomes, committed.ToList());
    }

    private string ConnectionString => DatabaseTarget.From(new StorageOptions { DatabaseUrl = app.DatabaseUrl }).ConnectionString;

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
