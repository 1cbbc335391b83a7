using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Tickets;

/// <summary>seq and number stay gap-free and unique when many writers race.</summary>
public abstract class ConcurrencyTests(TestApp app)
{
    [Fact]
    public async Task Twenty_concurrent_writers_on_one_ticket_get_seq_1_to_20()
    {
        var owner = app.ClientFor(Unique.Customer());
        var id = (await owner.CreateTicket()).Str("id");
        var writers = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? owner : app.ClientFor(Unique.Agent())).ToList();

        var responses = await Task.WhenAll(writers.Select((w, i) => w.PostJson($"/api/v1/tickets/{id}/messages", new { content = $"m{i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var seqs = (await Task.WhenAll(responses.Select(async r => (await r.Body()).GetProperty("seq").GetInt64()))).Order();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seqs);
        var stored = await (await owner.GetAsync($"/api/v1/tickets/{id}/messages")).Body();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), stored.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(20, (await (await owner.GetAsync($"/api/v1/tickets/{id}")).Body()).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Concurrent_ticket_creation_gets_distinct_consecutive_numbers()
    {
        var clients = Enumerable.Range(0, 20).Select(_ => app.ClientFor(Unique.Customer())).ToList();
        var tickets = await Task.WhenAll(clients.Select(c => c.CreateTicket()));
        var numbers = tickets.Select(t => t.GetProperty("number").GetInt64()).Order().ToList();
        Assert.Equal(20, numbers.Distinct().Count());
        // Other tests in this class may create tickets meanwhile, so ours need not be contiguous among themselves;
        // but across the whole deployment the numbers are: no gaps below the maximum.
        var all = await (await app.ClientFor(Unique.Admin()).GetAsync("/api/v1/tickets?limit=100")).Body();
        var everyNumber = all.EnumerateArray().Select(t => t.GetProperty("number").GetInt64()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, everyNumber.Count).Select(i => (long)i), everyNumber);
    }
}

public sealed class SqliteConcurrencyTests(SqliteApp app) : ConcurrencyTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresConcurrencyTests(PostgresApp app) : ConcurrencyTests(app), IClassFixture<PostgresApp>;
