using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.EventFeed;

/// <summary>
/// A reader paging with next_cursor while several writers (on PostgreSQL: on two nodes, each group-committing)
/// change tickets sees every event exactly once, and each ticket's events in seq order. On PostgreSQL a plain id
/// order fails this: a transaction holding id 7 commits after the reader passed id 8.
/// </summary>
public abstract class EventFeedConcurrencyTests
{
    private const int Writers = 12;
    private const int ChangesPerWriter = 25;

    protected abstract Store Store { get; }

    [Fact]
    public async Task A_polling_reader_sees_every_event_once_and_in_order_per_ticket_while_writers_race()
    {
        using var first = new TestApp(Store);
        // PostgreSQL: a second node on the same database; SQLite is one node (one writer by design).
        using var second = Store == Store.Postgres
            ? new TestApp(Store, new Dictionary<string, string?> { ["Storage:DatabaseUrl"] = first.DatabaseUrl })
            : null;
        var nodes = second is null ? [first] : new[] { first, second };
        var admin = first.ClientFor(Unique.Admin());

        var seen = new List<(string Id, string Ticket, long Seq)>();
        var writing = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var cursor = "";
            while (true)
            {
                var stop = writing.IsCancellationRequested;
                var page = await EventFeedTests.Page(admin, $"limit=50&after={cursor}");
                foreach (var e in page.GetProperty("data").EnumerateArray())
                    seen.Add((e.Str("id"), e.Str("ticket_id"), e.GetProperty("seq").GetInt64()));
                cursor = page.Str("next_cursor");
                // After the writers are done, drain until every event was seen. The feed's end is the oldest running
                // transaction of the whole PostgreSQL cluster, so another test's open transaction may hold the last
                // ones back for a moment: an end of the feed is not yet the end of the writes.
                if (stop && seen.Count >= Writers * (ChangesPerWriter + 1)) return;
                if (!page.GetProperty("has_more").GetBoolean()) await Task.Delay(20);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var node = nodes[w % nodes.Length];
            var customer = node.ClientFor(Unique.Customer());
            var agent = node.ClientFor(Unique.Agent());
            var id = (await customer.CreateTicket()).Str("id");
            for (var i = 0; i < ChangesPerWriter; i++)
            {
                if (i % 5 == 4) (await agent.PatchJson($"/api/v1/tickets/{id}", new { topic = $"Topic {i}" })).EnsureSuccessStatusCode();
                else await (i % 2 == 0 ? customer : agent).PostMessage(id, $"m{i}");
            }
        })));
        writing.Cancel();
        await reader.WaitAsync(TimeSpan.FromSeconds(60));

        List<string> stored;
        await using (var scope = first.Services.CreateAsyncScope())
            stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Events.Select(e => e.EventId).ToListAsync();
        Assert.Equal(Writers * (ChangesPerWriter + 1), stored.Count);
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count()); // never twice
        Assert.Equal(stored.Order(), seen.Select(e => e.Id).Order()); // never missed
        foreach (var ticket in seen.GroupBy(e => e.Ticket))
            Assert.Equal(Enumerable.Range(1, ChangesPerWriter + 1).Select(i => (long)i), ticket.Select(e => e.Seq));
    }
}

public sealed class SqliteEventFeedConcurrencyTests : EventFeedConcurrencyTests
{
    protected override Store Store => Store.Sqlite;
}

public sealed class PostgresEventFeedConcurrencyTests : EventFeedConcurrencyTests
{
    protected override Store Store => Store.Postgres;
}
