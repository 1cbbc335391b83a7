using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Tickets;

/// <summary>Who may do what to a ticket: foreign tickets are 404, a role that may not act is 403.</summary>
public abstract class TicketAccessTests(TestApp app)
{
    private async Task<(TestUser Owner, string Id)> OwnedTicket()
    {
        var owner = Unique.Customer();
        var ticket = await app.ClientFor(owner).CreateTicket();
        return (owner, ticket.Str("id"));
    }

    [Fact]
    public async Task Customer_cannot_read_another_customers_ticket()
    {
        var (_, id) = await OwnedTicket();
        var response = await app.ClientFor(Unique.Customer()).GetAsync($"/api/v1/tickets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", (await response.Body()).Str("error"));
    }

    [Theory]
    [InlineData("AGENT")]
    [InlineData("ADMIN")]
    public async Task Staff_read_any_ticket(string role)
    {
        var (_, id) = await OwnedTicket();
        var response = await app.ClientFor(new TestUser(Unique.Id("staff"), "staff", role)).GetAsync($"/api/v1/tickets/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (await response.Body()).Str("id"));
    }

    [Fact]
    public async Task Guest_opens_and_reads_their_own_ticket()
    {
        var guest = app.ClientFor(Unique.Guest());
        var ticket = await guest.CreateTicket();
        Assert.Equal("TEMP_USER", ticket.Str("user_role"));
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/api/v1/tickets/{ticket.Str("id")}")).StatusCode);
    }

    [Fact]
    public async Task Customer_list_holds_only_their_own_tickets()
    {
        var (owner, mine) = await OwnedTicket();
        await OwnedTicket();
        var list = await (await app.ClientFor(owner).GetAsync("/api/v1/tickets?user_id=someone-else")).Body();
        Assert.Equal([mine], list.EnumerateArray().Select(t => t.Str("id")));
    }

    [Fact]
    public async Task Staff_list_holds_every_customers_tickets()
    {
        var (owner1, id1) = await OwnedTicket();
        var (_, id2) = await OwnedTicket();
        var ids = (await (await app.ClientFor(Unique.Agent()).GetAsync("/api/v1/tickets?limit=100")).Body())
            .EnumerateArray().Select(t => t.Str("id")).ToList();
        Assert.Contains(id1, ids);
        Assert.Contains(id2, ids);
        var filtered = await (await app.ClientFor(Unique.Agent()).GetAsync($"/api/v1/tickets?user_id={owner1.Id}")).Body();
        Assert.Equal([id1], filtered.EnumerateArray().Select(t => t.Str("id")));
    }

    [Fact]
    public async Task Owner_may_edit_topic_and_description()
    {
        var (owner, id) = await OwnedTicket();
        var response = await app.ClientFor(owner).PatchJson($"/api/v1/tickets/{id}", new { topic = "New topic", description = "More detail" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = await response.Body();
        Assert.Equal("New topic", ticket.Str("topic"));
        Assert.Equal("More detail", ticket.Str("description"));
    }

    [Theory]
    [InlineData("status", "WAITING")]
    [InlineData("issue_level", "CRITICAL")]
    [InlineData("support_role", "TECHNICAL")]
    [InlineData("assignee_id", "agent-9")]
    public async Task Owner_may_not_change_staff_fields(string field, string value)
    {
        var (owner, id) = await OwnedTicket();
        var response = await app.ClientFor(owner).PatchJson($"/api/v1/tickets/{id}", new Dictionary<string, string> { [field] = value });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FORBIDDEN", (await response.Body()).Str("error"));
    }

    [Fact]
    public async Task Another_customer_patching_a_ticket_gets_404()
    {
        var (_, id) = await OwnedTicket();
        var response = await app.ClientFor(Unique.Customer()).PatchJson($"/api/v1/tickets/{id}", new { topic = "hijack" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Assigning_an_agent_claims_the_ticket_and_unassigning_releases_it()
    {
        var (_, id) = await OwnedTicket();
        var agent = app.ClientFor(Unique.Agent());
        var claimed = await (await agent.PatchJson($"/api/v1/tickets/{id}", new { assignee_id = "agent-7", issue_level = "urgent" })).Body();
        Assert.Equal("IN_PROGRESS", claimed.Str("status"));
        Assert.Equal("agent-7", claimed.Str("assignee_id"));
        Assert.Equal("URGENT", claimed.Str("issue_level"));
        var released = await (await agent.PatchJson($"/api/v1/tickets/{id}", new Dictionary<string, object?> { ["assignee_id"] = null })).Body();
        Assert.Equal("OPEN", released.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, released.GetProperty("assignee_id").ValueKind);
    }

    [Fact]
    public async Task Owner_closes_and_reopens_their_ticket()
    {
        var (owner, id) = await OwnedTicket();
        var client = app.ClientFor(owner);
        var closed = await (await client.PostJson($"/api/v1/tickets/{id}/close", new { reason = "Solved" })).Body();
        Assert.Equal("CLOSED", closed.Str("status"));
        Assert.Equal("Solved", closed.Str("close_reason"));
        Assert.True(closed.GetProperty("closed_at").GetInt64() > 0);
        var reopened = await (await client.PostAsync($"/api/v1/tickets/{id}/reopen", null)).Body();
        Assert.Equal("OPEN", reopened.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reopened.GetProperty("closed_at").ValueKind);
    }

    [Fact]
    public async Task Close_needs_no_body()
    {
        var (owner, id) = await OwnedTicket();
        var response = await app.ClientFor(owner).PostAsync($"/api/v1/tickets/{id}/close", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Closing_a_closed_ticket_is_a_conflict()
    {
        var (owner, id) = await OwnedTicket();
        var client = app.ClientFor(owner);
        await client.PostAsync($"/api/v1/tickets/{id}/close", null);
        var again = await client.PostAsync($"/api/v1/tickets/{id}/close", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("CONFLICT", (await again.Body()).Str("error"));
    }

    [Fact]
    public async Task Reopening_an_open_ticket_is_a_conflict()
    {
        var (owner, id) = await OwnedTicket();
        Assert.Equal(HttpStatusCode.Conflict, (await app.ClientFor(owner).PostAsync($"/api/v1/tickets/{id}/reopen", null)).StatusCode);
    }

    [Fact]
    public async Task Another_customer_cannot_close_a_ticket()
    {
        var (_, id) = await OwnedTicket();
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(Unique.Customer()).PostAsync($"/api/v1/tickets/{id}/close", null)).StatusCode);
    }

    [Fact]
    public async Task Agent_closes_a_customers_ticket()
    {
        var (_, id) = await OwnedTicket();
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(Unique.Agent()).PostAsync($"/api/v1/tickets/{id}/close", null)).StatusCode);
    }

    [Fact]
    public async Task Only_admin_deletes_a_ticket()
    {
        var (owner, id) = await OwnedTicket();
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(owner).DeleteAsync($"/api/v1/tickets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(Unique.Agent()).DeleteAsync($"/api/v1/tickets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(Unique.Customer()).DeleteAsync($"/api/v1/tickets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.ClientFor(Unique.Admin()).DeleteAsync($"/api/v1/tickets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(owner).GetAsync($"/api/v1/tickets/{id}")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_ticket_deletes_its_messages()
    {
        var (owner, id) = await OwnedTicket();
        await app.ClientFor(owner).PostMessage(id, "hello");
        await app.ClientFor(Unique.Admin()).DeleteAsync($"/api/v1/tickets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(Unique.Admin()).GetAsync($"/api/v1/tickets/{id}/messages")).StatusCode);
    }

    [Fact]
    public async Task Unknown_ticket_id_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(Unique.Admin()).GetAsync("/api/v1/tickets/does-not-exist")).StatusCode);
    }
}

public sealed class SqliteTicketAccessTests(SqliteApp app) : TicketAccessTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresTicketAccessTests(PostgresApp app) : TicketAccessTests(app), IClassFixture<PostgresApp>;
