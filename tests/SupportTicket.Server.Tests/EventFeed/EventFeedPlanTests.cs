using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using static System.FormattableString;

namespace SupportTicket.Server.Tests.EventFeed;

/// <summary>
/// Issue #30: a page of the feed costs O(page), not O(feed). Over 20,000 events seeded with SQL and ANALYZE, the page
/// query is built as the webhook worker and <see cref="EventFeedQuery.PageAsync"/> build it, from a cursor near the
/// end; it must return exactly the events after the cursor, and its plans (PostgreSQL: custom and generic) must read
/// the (xid, id) index from the cursor on: an index lower bound on xid, no scan of the table or of the whole index.
/// Without <c>Xid &gt;= after.Xid</c> in <see cref="EventFeedQuery.After"/> PostgreSQL's generic plan had no such bound.
/// </summary>
public abstract class EventFeedPlanTests(Store store, ITestOutputHelper output)
{
    private const int Events = 20_000;
    private const int PageSize = 500;

    [Fact]
    public async Task The_page_query_reads_the_index_from_its_cursor_not_from_the_start_of_the_feed()
    {
        using var app = new TestApp(store);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await SeedAsync(db);

        var order = await db.Events.OrderBy(e => e.Xid).ThenBy(e => e.Id).Select(e => new { e.Xid, e.Id }).ToListAsync();
        Assert.Equal(Events, order.Count);
        var at = order[Events - 800];
        var cursor = new EventCursor(at.Xid, at.Id);
        var expected = order.Skip(Events - 800 + 1).Take(PageSize + 1).Select(e => e.Id).ToList();

        var page = EventFeedQuery.After(db, cursor).OrderBy(e => e.Xid).ThenBy(e => e.Id).Take(PageSize + 1);
        var worker = page.Select(e => new { e.Xid, e.Id, e.Type });
        Assert.Equal(expected, (await page.ToListAsync()).Select(e => e.Id));
        Assert.Equal(expected, (await worker.ToListAsync()).Select(e => e.Id));
        var (pageRows, _) = await EventFeedQuery.PageAsync(db, cursor, PageSize, null, null, default);
        Assert.Equal(expected.Take(PageSize), pageRows.Select(e => e.Id));

        foreach (var (name, query) in new[] { ("page", (IQueryable)page), ("webhook worker", worker) })
        {
            await using var command = query.CreateDbCommand();
            var sql = new RecordedSql(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.DbType, p.Value)).ToList());
            foreach (var plan in await QueryPlans.ExplainAsync(db, sql))
            {
                output.WriteLine($"--- {name} ({plan.Kind} plan)\n{sql.Text}\n{string.Join(", ", sql.Parameters.Select(p => $"{p.Name}={p.Value}"))}\n{plan.Text}\n");
                Assert.DoesNotContain(plan.Scans, s => s.StartsWith("Seq Scan", StringComparison.Ordinal) || s.StartsWith("SCAN ", StringComparison.Ordinal));
                Assert.Contains("ix_events_xid_id", plan.Indexes);
                Assert.DoesNotContain("TEMP B-TREE", plan.Text, StringComparison.Ordinal);
                if (store == Store.Postgres) AssertSeeksFromCursor(plan);
                else Assert.Matches(@"SEARCH \w+ USING (COVERING )?INDEX ix_events_xid_id \(xid>", plan.Text);
            }
        }
    }

    /// <summary>Every read of ix_events_xid_id starts at the cursor: its Index Cond bounds xid from below (&gt;, &gt;= or =).</summary>
    private static void AssertSeeksFromCursor(QueryPlans.Plan plan)
    {
        var conditions = new List<string>();
        void Walk(JsonElement node)
        {
            if (node.TryGetProperty("Index Name", out var index) && index.GetString() == "ix_events_xid_id")
                conditions.Add(node.TryGetProperty("Index Cond", out var cond) ? cond.GetString() ?? "" : "");
            if (node.TryGetProperty("Plans", out var children)) foreach (var child in children.EnumerateArray()) Walk(child);
        }
        using var document = JsonDocument.Parse(plan.Text);
        Walk(document.RootElement[0].GetProperty("Plan"));
        Assert.NotEmpty(conditions);
        Assert.All(conditions, c => Assert.True(Regex.IsMatch(c, @"\bxid (>|>=|=) "),
            $"the {plan.Kind} plan reads ix_events_xid_id from its start, no lower bound on xid: Index Cond {c}"));
    }

    /// <summary>
    /// The events, one per ticket. PostgreSQL: xids spread below the oldest running transaction now (about 20 events a
    /// transaction on a fresh cluster), so all are visible to the feed; SQLite: xid 0, as the server writes them.
    /// </summary>
    private async Task SeedAsync(AppDbContext db)
    {
        var sql = store == Store.Postgres
            ? Invariant($"""
                INSERT INTO events (event_id, type, ticket_id, seq, created, data, xid)
                SELECT 'evt_seed' || i, 'message.created', 'seed-' || i, 1, 1800000000 + i, '[]',
                       1 + (i - 1) * (x.xmin - 2) / {Events}
                FROM generate_series(1, {Events}) AS i,
                     (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) AS x;
                ANALYZE events;
                """)
            : Invariant($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Events})
                INSERT INTO events (event_id, type, ticket_id, seq, created, data, xid)
                SELECT 'evt_seed' || i, 'message.created', 'seed-' || i, 1, 1800000000 + i, '[]', 0 FROM n;
                ANALYZE;
                """);
        await db.Database.ExecuteSqlRawAsync(sql);
        var xids = await db.Events.Select(e => e.Xid).Distinct().CountAsync();
        output.WriteLine($"seeded {Events} events over {xids} xid(s)");
    }
}

public sealed class SqliteEventFeedPlanTests(ITestOutputHelper output) : EventFeedPlanTests(Store.Sqlite, output);

public sealed class PostgresEventFeedPlanTests(ITestOutputHelper output) : EventFeedPlanTests(Store.Postgres, output);
