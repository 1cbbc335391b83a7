using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// The group-commit writer of message posts, on the real app and database: posts that share one transaction keep
/// their own outcome, and a failing statement never leaves half a write behind.
/// </summary>
public abstract class MessageBatcherTests(TestApp app)
{
    [Fact]
    public async Task Posts_in_one_batch_each_keep_their_own_outcome()
    {
        var owner = Unique.Customer();
        var client = app.ClientFor(owner);
        var open = (await client.CreateTicket()).Str("id");
        var closed = (await client.CreateTicket()).Str("id");
        await client.PostAsync($"/api/v1/tickets/{closed}/close", null);
        var foreign = (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id");

        var (results, committed) = await WriteInOneBatch(open, owner,
            Post(open, owner, "first"), Post(closed, owner, "to a closed ticket"), Post(open, owner, "keyed", "k1"),
            Post(open, owner, "same key again", "k1"), Post(foreign, owner, "to someone else's ticket"), Post(open, owner, "last"));

        Assert.Equal(2, results[0].Ticket!.LastSeq);
        Assert.Null(results[1].Ticket);
        Assert.Equal(3, results[2].Ticket!.LastSeq);
        Assert.True(Sql.IsUniqueViolation(results[3].Error), $"expected a unique violation, got {results[3].Error}");
        Assert.Null(results[4].Ticket);
        Assert.Equal(4, results[5].Ticket!.LastSeq);
        Assert.Equal(["held:1", "first:2", "keyed:3", "last:4"], committed);
        var stored = await (await client.GetAsync($"/api/v1/tickets/{open}/messages")).Body();
        Assert.Equal(["held:1", "first:2", "keyed:3", "last:4"], stored.EnumerateArray().Select(m => $"{m.Str("content")}:{m.GetProperty("seq").GetInt64()}"));
        Assert.Equal(0, (await (await client.GetAsync($"/api/v1/tickets/{closed}/messages")).Body()).GetArrayLength());
    }

    [Fact]
    public async Task The_ticket_of_a_post_carries_every_field_the_store_holds()
    {
        var owner = Unique.Customer();
        var client = app.ClientFor(owner);
        var id = (await client.CreateTicket()).Str("id");
        await app.ClientFor(Unique.Agent()).PatchJson($"/api/v1/tickets/{id}", new { assignee_id = "someone", issue_level = "URGENT" });
        var (results, _) = await WriteInOneBatch(id, owner, Post(id, owner, "probe"));
        var written = results[0].Ticket!;

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.SingleAsync(t => t.Id == id);
        // Every property, by reflection: a field added to Ticket later is checked without touching this test.
        foreach (var property in typeof(Ticket).GetProperties())
            Assert.True(Equals(property.GetValue(stored), property.GetValue(written)),
                $"Ticket.{property.Name}: stored {property.GetValue(stored)}, the post's ticket has {property.GetValue(written)}");
        Assert.Equal("someone", written.AssigneeId);
    }

    protected static Message Post(string ticketId, TestUser author, string content, string? key = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Message
        {
            Id = Guid.NewGuid().ToString("N"), TicketId = ticketId, AuthorId = author.Id, AuthorName = author.Username,
            AuthorRole = author.Role, Content = content, CreatedAt = now, UpdatedAt = now, IdempotencyKey = key,
        };
    }

    /// <summary>
    /// Holds <paramref name="ticketId"/>'s write-gate stripe while a first post ("held") to it waits in the writer and
    /// the given posts queue behind it, so the writer takes them as one transaction once the stripe is let go.
    /// Returns each post's outcome and the committed steps in the order they ran (content:seq).
    /// </summary>
    protected async Task<((Ticket? Ticket, Exception? Error)[] Results, List<string> Committed)> WriteInOneBatch(
        string ticketId, TestUser owner, params Message[] posts)
    {
        var batcher = app.Services.GetRequiredService<MessageBatcher>();
        var committed = new ConcurrentQueue<string>();
        Task<Ticket?> Write(Message p) => batcher.WriteAsync(EventWrites.Post(app.Services, p, staff: false), t => committed.Enqueue($"{p.Content}:{t.LastSeq}"), CancellationToken.None);
        Task<Ticket?>[] writes;
        Task<Ticket?> held;
        using (await app.Services.GetRequiredService<WriteGate>().EnterAllAsync([ticketId], CancellationToken.None))
        {
            held = Write(Post(ticketId, owner, "held"));
            await Task.Delay(100); // let the writer take "held" and wait for the stripe; the outcomes below hold either way
            writes = posts.Select(Write).ToArray();
        }
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        var results = new (Ticket?, Exception?)[writes.Length];
        for (var i = 0; i < writes.Length; i++)
        {
            try { results[i] = (await writes[i].WaitAsync(TimeSpan.FromSeconds(30)), null); }
            catch (Exception e) when (e is not TimeoutException) { results[i] = (null, e); }
        }
        return (results, committed.ToList());
    }
}

public sealed class SqliteMessageBatcherTests(SqliteApp app) : MessageBatcherTests(app), IClassFixture<SqliteApp>
{
    [Fact]
    public async Task A_failed_transaction_stores_none_of_its_posts_and_the_writer_recovers()
    {
        var owner = Unique.Customer();
        var client = app.ClientFor(owner);
        var id = (await client.CreateTicket()).Str("id");
        // RAISE(ROLLBACK) undoes the whole transaction from inside it, as an I/O error or a full disk would.
        app.ExecuteSql("CREATE TRIGGER fail_on_boom BEFORE INSERT ON messages WHEN NEW.content = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'simulated failure'); END");
        try
        {
            var (results, committed) = await WriteInOneBatch(id, owner, Post(id, owner, "before"), Post(id, owner, "boom"), Post(id, owner, "after"));
            Assert.All(results, r => Assert.NotNull(r.Error));
            Assert.Equal(["held:1"], committed);
        }
        finally
        {
            app.ExecuteSql("DROP TRIGGER fail_on_boom");
        }
        Assert.Equal(1, (await (await client.GetAsync($"/api/v1/tickets/{id}")).Body()).GetProperty("last_seq").GetInt64());
        Assert.Equal(["held"], (await (await client.GetAsync($"/api/v1/tickets/{id}/messages")).Body()).EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal(2, (await client.PostMessage(id, "next")).GetProperty("seq").GetInt64());
    }

}

public sealed class PostgresMessageBatcherTests(PostgresApp app) : MessageBatcherTests(app), IClassFixture<PostgresApp>
{
    [Fact]
    public async Task A_failing_post_is_retried_alone_and_fails_alone()
    {
        var owner = Unique.Customer();
        var client = app.ClientFor(owner);
        var id = (await client.CreateTicket()).Str("id");
        app.ExecuteSql("""
            CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN IF NEW.content = 'boom' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER fail_on_boom BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fail_on_boom();
            """);
        try
        {
            var (results, committed) = await WriteInOneBatch(id, owner, Post(id, owner, "before"), Post(id, owner, "boom"), Post(id, owner, "after"));
            Assert.Equal(2, results[0].Ticket!.LastSeq);
            Assert.Contains("simulated failure", Assert.IsType<PostgresException>(results[1].Error).MessageText);
            Assert.Equal(3, results[2].Ticket!.LastSeq);
            Assert.Equal(["held:1", "before:2", "after:3"], committed);
        }
        finally
        {
            app.ExecuteSql("DROP TRIGGER fail_on_boom ON messages; DROP FUNCTION fail_on_boom();");
        }
        Assert.Equal(["held", "before", "after"], (await (await client.GetAsync($"/api/v1/tickets/{id}/messages")).Body()).EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal(4, (await client.PostMessage(id, "next")).GetProperty("seq").GetInt64());
    }

}
