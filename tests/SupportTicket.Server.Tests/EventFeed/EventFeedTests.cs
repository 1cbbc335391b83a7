using System.Net;
using System.Text.Json;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.EventFeed;

/// <summary>Every write path leaves its event, numbered per ticket, with the ADMIN view of the object as data.</summary>
public abstract class EventFeedTests(TestApp app)
{
    [Fact]
    public async Task Each_change_of_a_ticket_is_one_event_with_the_admin_view_and_a_gap_free_seq()
    {
        var customer = app.ClientFor(Unique.Customer());
        var agent = app.ClientFor(Unique.Agent());
        var admin = app.ClientFor(Unique.Admin());
        var ticket = await customer.CreateTicket();
        var id = ticket.Str("id");
        var posted = await customer.PostMessage(id, "Hello");
        var note = await agent.PostMessage(id, "Staff only", @internal: true);
        var edited = await (await customer.PatchJson($"/api/v1/tickets/{id}/messages/{posted.Str("id")}", new { content = "Hello again" })).Body();
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/tickets/{id}/messages/{note.Str("id")}")).StatusCode);
        var updated = await (await agent.PatchJson($"/api/v1/tickets/{id}", new { issue_level = "URGENT" })).Body();
        var closed = await (await agent.PostJson($"/api/v1/tickets/{id}/close", new { reason = "Solved" })).Body();
        var reopened = await (await agent.PostJson($"/api/v1/tickets/{id}/reopen", new { })).Body();
        var lastState = await (await admin.GetAsync($"/api/v1/tickets/{id}")).Body();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tickets/{id}")).StatusCode);

        var events = (await Settled(admin, id, 9)).GetProperty("data").EnumerateArray().ToList();

        Assert.Equal(["ticket.created", "message.created", "message.created", "message.updated", "message.deleted",
            "ticket.updated", "ticket.closed", "ticket.reopened", "ticket.deleted"], events.Select(e => e.Str("type")));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.All(events, e =>
        {
            Assert.StartsWith("evt_", e.Str("id"));
            Assert.Equal(id, e.Str("ticket_id"));
            Assert.True(e.GetProperty("created").GetInt64() > 1_700_000_000);
        });
        // data is what the API answered (the staff writers and the admin see the same full numbering).
        AssertSame(ticket, events[0].GetProperty("data"));
        AssertSame(posted, events[1].GetProperty("data"));
        AssertSame(note, events[2].GetProperty("data"));
        Assert.True(events[2].GetProperty("data").GetProperty("internal").GetBoolean());
        AssertSame(edited, events[3].GetProperty("data"));
        AssertSame(note, events[4].GetProperty("data"));
        AssertSame(updated, events[5].GetProperty("data"));
        AssertSame(closed, events[6].GetProperty("data"));
        AssertSame(reopened, events[7].GetProperty("data"));
        AssertSame(lastState, events[8].GetProperty("data"));
    }

    [Fact]
    public async Task Pages_follow_next_cursor_and_filter_by_type()
    {
        var admin = app.ClientFor(Unique.Admin());
        var customer = app.ClientFor(Unique.Customer());
        var id = (await customer.CreateTicket()).Str("id");
        for (var i = 0; i < 4; i++) await customer.PostMessage(id, $"m{i}");
        await Settled(admin, id, 5);

        var first = await Page(admin, $"ticket_id={id}&limit=3");
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var second = await Page(admin, $"ticket_id={id}&limit=3&after={first.Str("next_cursor")}");
        Assert.False(second.GetProperty("has_more").GetBoolean());
        var seqs = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray())
            .Select(e => e.GetProperty("seq").GetInt64());
        Assert.Equal([1L, 2, 3, 4, 5], seqs);
        var empty = await Page(admin, $"ticket_id={id}&after={second.Str("next_cursor")}");
        Assert.Empty(empty.GetProperty("data").EnumerateArray());
        Assert.Equal(second.Str("next_cursor"), empty.Str("next_cursor"));

        var created = await Page(admin, $"ticket_id={id}&types=ticket.created,ticket.closed");
        Assert.Equal(["ticket.created"], created.GetProperty("data").EnumerateArray().Select(e => e.Str("type")));
    }

    [Theory]
    [InlineData("after=abc", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("types=ticket.exploded", "types")]
    public async Task Bad_queries_are_400_naming_the_parameter(string query, string field)
    {
        var response = await app.ClientFor(Unique.Admin()).GetAsync($"/api/v1/events?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Body();
        Assert.Equal("BAD_REQUEST", body.Str("error"));
        Assert.Equal(field, body.GetProperty("errors")[0].Str("location"));
    }

    [Fact]
    public async Task Only_admins_read_the_feed()
    {
        var response = await app.ClientFor(Unique.Agent()).GetAsync("/api/v1/events");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FORBIDDEN", (await response.Body()).Str("error"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/events")).StatusCode);
    }

    internal static async Task<JsonElement> Page(HttpClient admin, string query)
    {
        var response = await admin.GetAsync($"/api/v1/events?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    /// <summary>
    /// The ticket's events once all are in the feed: on PostgreSQL an event shows once every older transaction of
    /// the database server has ended, which other tests' writes can delay a little.
    /// </summary>
    internal static async Task<JsonElement> Settled(HttpClient admin, string ticketId, int count)
    {
        var page = default(JsonElement);
        Assert.True(await Eventually.Until(async () =>
        {
            page = await Page(admin, $"ticket_id={ticketId}");
            return page.GetProperty("data").GetArrayLength() >= count;
        }, TimeSpan.FromSeconds(10)), $"the feed did not show {count} events of ticket {ticketId}");
        return page;
    }

    private static void AssertSame(JsonElement expected, JsonElement actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
}

public sealed class SqliteEventFeedTests(SqliteApp app) : EventFeedTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresEventFeedTests(PostgresApp app) : EventFeedTests(app), IClassFixture<PostgresApp>;
