using System.Net;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.RateLimiting;

namespace SupportTicket.Server.Tests.Tickets;

/// <summary>A reopened ticket takes a slot under MaxOpenTicketsPerUser like a new one (issue #23, item 4).</summary>
public sealed class ReopenCapTests
{
    private static Dictionary<string, string?> Cap(int max) => RateLimitSettings.Limits(new()
    {
        ["RateLimits:MaxOpenTicketsPerUser"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:Policies:CreateTicket:PermitLimit"] = "1000",
        ["RateLimits:Policies:ReopenTicket:PermitLimit"] = "1000",
        ["RateLimits:Policies:CloseTicket:PermitLimit"] = "1000",
        ["RateLimits:Policies:ListTickets:PermitLimit"] = "1000",
    });

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Reopen_over_the_open_ticket_cap_gets_the_same_409_as_create(Store store)
    {
        using var app = new TestApp(store, Cap(2));
        var client = app.ClientFor(Unique.Customer());
        var t1 = (await client.CreateTicket("t1")).Str("id");
        var t2 = (await client.CreateTicket("t2")).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await client.PostJson($"/api/v1/tickets/{t1}/close", new { })).StatusCode);
        await client.CreateTicket("t3");

        var reopen = await client.PostJson($"/api/v1/tickets/{t1}/reopen", new { });

        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        var body = await reopen.Body();
        Assert.Equal("CONFLICT", body.Str("error"));
        Assert.Equal("You already have 2 open tickets; close one before opening another", body.Str("message"));
        Assert.Equal(2, await OpenCount(client));

        // Closing another frees the slot again.
        Assert.Equal(HttpStatusCode.OK, (await client.PostJson($"/api/v1/tickets/{t2}/close", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJson($"/api/v1/tickets/{t1}/reopen", new { })).StatusCode);
        Assert.Equal(2, await OpenCount(client));
    }

    [Fact]
    public async Task Staff_may_reopen_a_customers_ticket_over_the_customers_cap()
    {
        using var app = new TestApp(Store.Sqlite, Cap(1));
        var customer = app.ClientFor(Unique.Customer());
        var t1 = (await customer.CreateTicket("t1")).Str("id");
        await customer.PostJson($"/api/v1/tickets/{t1}/close", new { });
        await customer.CreateTicket("t2");

        var reopen = await app.ClientFor(Unique.Agent()).PostJson($"/api/v1/tickets/{t1}/reopen", new { });

        Assert.Equal(HttpStatusCode.OK, reopen.StatusCode);
    }

    /// <summary>
    /// Creates on one node and reopens on another, of one customer, at once: the cap holds exactly. The two nodes
    /// share one PostgreSQL database, as a cluster does; several rounds, so an unlocked count would be caught.
    /// </summary>
    [Fact]
    public async Task Concurrent_creates_and_reopens_on_two_nodes_stop_exactly_at_the_cap()
    {
        using var nodeA = new TestApp(Store.Postgres, Cap(2));
        var shared = Cap(2);
        shared["Storage:DatabaseUrl"] = nodeA.DatabaseUrl;
        using var nodeB = new TestApp(Store.Postgres, shared);
        for (var round = 0; round < 8; round++)
        {
            var user = Unique.Customer();
            var onA = nodeA.ClientFor(user);
            var onB = nodeB.ClientFor(user);
            var closed = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var id = (await onA.CreateTicket($"old {i}")).Str("id");
                Assert.Equal(HttpStatusCode.OK, (await onA.PostJson($"/api/v1/tickets/{id}/close", new { })).StatusCode);
                closed.Add(id);
            }

            var creates = Enumerable.Range(0, 3).Select(i => onA.PostJson("/api/v1/tickets", new { topic = $"new {i}", description = "d" }));
            var reopens = closed.Select(id => onB.PostJson($"/api/v1/tickets/{id}/reopen", new { }));
            var answers = await Task.WhenAll(creates.Concat(reopens));

            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
            Assert.Equal(2, answers.Count(a => a.IsSuccessStatusCode));
            Assert.Equal(2, await OpenCount(onB));
        }
    }

    [Fact]
    public async Task Concurrent_creates_and_reopens_on_sqlite_stop_exactly_at_the_cap()
    {
        using var app = new TestApp(Store.Sqlite, Cap(2));
        var client = app.ClientFor(Unique.Customer());
        var closed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await client.CreateTicket($"old {i}")).Str("id");
            await client.PostJson($"/api/v1/tickets/{id}/close", new { });
            closed.Add(id);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 3)
            .Select(i => client.PostJson("/api/v1/tickets", new { topic = $"new {i}", description = "d" }))
            .Concat(closed.Select(id => client.PostJson($"/api/v1/tickets/{id}/reopen", new { }))));

        Assert.Equal(2, answers.Count(a => a.IsSuccessStatusCode));
        Assert.Equal(2, await OpenCount(client));
    }

    private static async Task<int> OpenCount(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/tickets?status=OPEN,IN_PROGRESS,WAITING")).Body()).GetArrayLength();
}
