using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Tickets;

/// <summary>
/// A staff note (and its edit or removal) leaves the customer's view of the ticket as it was: <c>updated_at</c>
/// moves for customers only with what they can see, like <c>last_seq</c> (issue #23, item 8).
/// </summary>
public sealed class PublicUpdatedAtTests
{
    /// <summary>The server's clock, moved by the test, so each write lands in a second of its own.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_staff_note_does_not_move_the_customers_updated_at(Store store)
    {
        using var app = new TestApp(store);
        var clock = new MovableClock();
        using var moved = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var customer = Client(moved, Unique.Customer());
        var agent = Client(moved, Unique.Agent());
        var ticket = await customer.CreateTicket("Printer");
        var id = ticket.Str("id");
        await customer.PostMessage(id, "It jams");
        var before = await Get(customer, id);

        clock.Offset = TimeSpan.FromMinutes(10);
        var note = await agent.PostMessage(id, "Customer sounds annoyed", @internal: true);
        clock.Offset = TimeSpan.FromMinutes(11);
        Assert.Equal(HttpStatusCode.OK, (await agent.PatchJson($"/api/v1/tickets/{id}/messages/{note.Str("id")}", new { content = "Edited note" })).StatusCode);
        var second = await agent.PostMessage(id, "Second note", @internal: true);
        clock.Offset = TimeSpan.FromMinutes(12);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/tickets/{id}/messages/{second.Str("id")}")).StatusCode);

        var afterNotes = await Get(customer, id);
        Assert.Equal(before.GetProperty("updated_at").GetInt64(), afterNotes.GetProperty("updated_at").GetInt64());
        Assert.Equal(before.GetProperty("last_seq").GetInt64(), afterNotes.GetProperty("last_seq").GetInt64());
        Assert.Equal(before.GetRawText(), afterNotes.GetRawText());
        var listed = (await (await customer.GetAsync("/api/v1/tickets")).Body()).EnumerateArray().Single(t => t.Str("id") == id);
        Assert.Equal(before.GetRawText(), listed.GetRawText());
        // Staff see when the ticket last changed at all: the second note (edits and deletes move neither time).
        Assert.Equal(second.GetProperty("created_at").GetInt64(), (await Get(agent, id)).GetProperty("updated_at").GetInt64());

        clock.Offset = TimeSpan.FromMinutes(20);
        var reply = await agent.PostMessage(id, "Try the other tray");
        var afterReply = await Get(customer, id);
        Assert.True(reply.GetProperty("created_at").GetInt64() > afterNotes.GetProperty("updated_at").GetInt64());
        Assert.Equal(reply.GetProperty("created_at").GetInt64(), afterReply.GetProperty("updated_at").GetInt64());
        Assert.Equal(before.GetProperty("last_seq").GetInt64() + 1, afterReply.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_staff_change_to_the_ticket_itself_moves_the_customers_updated_at()
    {
        using var app = new TestApp(Store.Sqlite);
        var clock = new MovableClock();
        using var moved = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var customer = Client(moved, Unique.Customer());
        var id = (await customer.CreateTicket("Printer")).Str("id");
        var created = (await Get(customer, id)).GetProperty("updated_at").GetInt64();

        clock.Offset = TimeSpan.FromMinutes(5);
        var patched = await Client(moved, Unique.Agent()).PatchJson($"/api/v1/tickets/{id}", new { issue_level = "URGENT" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var seen = (await Get(customer, id)).GetProperty("updated_at").GetInt64();
        Assert.True(seen >= created + 300, $"updated_at {seen} did not move from {created}");
        Assert.Equal((await patched.Body()).GetProperty("updated_at").GetInt64(), seen);
    }

    private static HttpClient Client(WebApplicationFactory<Program> app, TestUser user)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(user));
        return client;
    }

    private static async Task<JsonElement> Get(HttpClient client, string id) => await (await client.GetAsync($"/api/v1/tickets/{id}")).Body();
}
