using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Tests.Messages;

/// <summary>
/// SQLite's group-commit writer, on the real app and database: posts that share one transaction keep their own
/// outcome, and a failed transaction stores none of its posts and tells every caller.
/// </summary>
public sealed class SqliteMessageBatcherTests(SqliteApp app) : IClassFixture<SqliteApp>
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

        var (results, committed) = await WriteInOneBatch(
            Post(open, owner, "first"), Post(closed, owner, "to a closed ticket"), Post(open, owner, "keyed", "k1"),
            Post(open, owner, "same key again", "k1"), Post(foreign, owner, "to someone else's ticket"), Post(open, owner, "last"));

        Assert.Equal(1, results[0].Ticket!.LastSeq);
        Assert.Null(results[1].Ticket);
        Assert.Equal(2, results[2].Ticket!.LastSeq);
        Assert.True(Sql.IsUniqueViolation(results[3].Error), $"expected a unique violation, got {results[3].Error}");
        Assert.Null(results[4].Ticket);
        Assert.Equal(3, results[5].Ticket!.LastSeq);
        Assert.Equal(["first:1", "keyed:2", "last:3"], committed);
        var stored = await (await client.GetAsync($"/api/v1/tickets/{open}/messages")).Body();
        Assert.Equal(["first:1", "keyed:2", "last:3"], stored.EnumerateArray().Select(m => $"{m.Str("content")}:{m.GetProperty("seq").GetInt64()}"));
        Assert.Equal(0, (await (await client.GetAsync($"/api/v1/tickets/{closed}/messages")).Body()).GetArrayLength());
    }

    [Fact]
    public async Task A_failed_transaction_stores_none_of_its_posts_and_the_writer_recovers()
    {
        var owner = Unique.Customer();
        var client = app.ClientFor(owner);
        var id = (await client.CreateTicket()).Str("id");
        // RAISE(ROLLBACK) undoes the whole transaction from inside it, as an I/O error or a full disk would.
        Execute("CREATE TRIGGER fail_on_boom BEFORE INSERT ON messages WHEN NEW.content = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'simulated failure'); END");
        try
        {
            var (results, committed) = await WriteInOneBatch(Post(id, owner, "before"), Post(id, owner, "boom"), Post(id, owner, "after"));
            Assert.All(results, r => Assert.NotNull(r.Error));
            Assert.Empty(committed);
        }
        finally
        {
            Execute("DROP TRIGGER fail_on_boom");
        }
        var ticket = await (await client.GetAsync($"/api/v1/tickets/{id}")).Body();
        Assert.Equal(0, ticket.GetProperty("last_seq").GetInt64());
        Assert.Equal(0, (await (await client.GetAsync($"/api/v1/tickets/{id}/messages")).Body()).GetArrayLength());
        Assert.Equal(1, (await client.PostMessage(id, "next")).GetProperty("seq").GetInt64());
    }

    private static Message Post(string ticketId, TestUser author, string content, string? key = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Message
        {
            Id = Guid.NewGuid().ToString("N"), TicketId = ticketId, AuthorId = author.Id, AuthorName = author.Username,
            AuthorRole = author.Role, Content = content, CreatedAt = now, UpdatedAt = now, IdempotencyKey = key,
        };
    }

    /// <summary>Holds the write gate while the posts queue, so the writer takes them all as one transaction.</summary>
    private async Task<((Ticket? Ticket, Exception? Error)[] Results, List<string> Committed)> WriteInOneBatch(params Message[] posts)
    {
        var batcher = app.Services.GetRequiredService<SqliteMessageBatcher>();
        var committed = new ConcurrentQueue<string>();
        Task<Ticket?>[] writes;
        using (await app.Services.GetRequiredService<WriteGate>().EnterAsync("", CancellationToken.None))
            writes = posts.Select(p => batcher.WriteAsync(p, staff: false, t => committed.Enqueue($"{p.Content}:{t.LastSeq}"), CancellationToken.None)).ToArray();
        var results = new (Ticket?, Exception?)[writes.Length];
        for (var i = 0; i < writes.Length; i++)
        {
            try { results[i] = (await writes[i].WaitAsync(TimeSpan.FromSeconds(30)), null); }
            catch (Exception e) when (e is not TimeoutException) { results[i] = (null, e); }
        }
        return (results, committed.ToList());
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={app.DatabaseUrl["sqlite:".Length..]};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
