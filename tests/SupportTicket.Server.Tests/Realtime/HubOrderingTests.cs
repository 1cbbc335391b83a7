using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

public abstract class HubOrderingTests(TestApp app)
{
    [Fact]
    public async Task Concurrent_posts_reach_every_recipient_in_seq_order()
    {
        var owner = Unique.Customer();
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        // Several authors, so per-user rate limits never interfere with the 20 concurrent posts.
        var authors = new[] { owner, Unique.Agent(), Unique.Agent(), Unique.Agent(), Unique.Admin() };
        await using var ownerHub = await HubClient.AuthorizedAsync(app, owner);
        await using var staffHub = await HubClient.AuthorizedAsync(app, Unique.Agent());
        await staffHub.InvokeAsync("subscribe", ticketId);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.ClientFor(authors[i % authors.Length]).PostMessage(ticketId, $"Message {i}")));

        foreach (var hub in new[] { ownerHub, staffHub })
        {
            var seqs = new List<long>();
            for (var i = 0; i < 20; i++) seqs.Add((await hub.NextEventForAsync(ticketId, "message")).Seq);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seqs);
        }
    }
}

public sealed class SqliteHubOrderingTests(SqliteApp app) : HubOrderingTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresHubOrderingTests(PostgresApp app) : HubOrderingTests(app), IClassFixture<PostgresApp>;
