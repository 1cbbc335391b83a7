using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

public sealed class CloseRequestTests(SqliteLifecycleApp app) : IClassFixture<SqliteLifecycleApp>
{
    [Fact]
    public async Task An_agents_close_request_shows_on_the_ticket_and_reaches_the_customer_over_the_hub()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = app.TokenExpiringIn(customer, TimeSpan.FromHours(1)).Token });
        await hub.NextEventAsync("authorized");

        var agent = Unique.Agent();
        var response = await app.As(agent).PostJson($"/api/v1/tickets/{id}/close-request", new { reason = "Fixed in 2.1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = (await response.Body()).GetProperty("close_request");
        Assert.Equal("Fixed in 2.1", request.Str("reason"));
        Assert.Equal(agent.Id, request.Str("requested_by"));
        Assert.Equal(app.Now + 24 * 3600, request.GetProperty("due_at").GetInt64());
        var pushed = await hub.NextEventForAsync(id, "ticket_updated");
        Assert.Equal("Fixed in 2.1", pushed.Payload.GetProperty("close_request").Str("reason"));
        Assert.Contains("ticket.close_requested", await app.EventTypesAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, (await app.As(agent).PostJson($"/api/v1/tickets/{id}/close-request", new { })).StatusCode);
    }

    [Fact]
    public async Task The_customer_accepts_and_the_ticket_closes()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await app.As(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/close-request", new { });

        var accepted = await app.As(customer).PostAsync($"/api/v1/tickets/{id}/close-request/accept", null);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var ticket = await accepted.Body();
        Assert.Equal("CLOSED", ticket.Str("status"));
        Assert.Equal("close_request_accepted", ticket.Str("close_reason"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, ticket.GetProperty("close_request").ValueKind);
    }

    [Fact]
    public async Task The_customer_declines_and_the_ticket_stays_open_past_the_deadline()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await app.As(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/close-request", new { });

        var declined = await app.As(customer).PostAsync($"/api/v1/tickets/{id}/close-request/decline", null);
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await declined.Body()).GetProperty("close_request").ValueKind);
        app.Clock.Advance(TimeSpan.FromHours(25));
        await app.RoundAsync();

        Assert.NotEqual("CLOSED", (await app.TicketAsync(id)).Str("status"));
        Assert.Equal(HttpStatusCode.Conflict, (await app.As(customer).PostAsync($"/api/v1/tickets/{id}/close-request/decline", null)).StatusCode);
    }

    [Fact]
    public async Task No_answer_within_the_close_request_hours_closes_the_ticket()
    {
        var id = (await app.As(Unique.Customer()).CreateTicket()).Str("id");
        await app.As(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/close-request", new { });

        app.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await app.RoundAsync();
        Assert.NotEqual("CLOSED", (await app.TicketAsync(id)).Str("status"));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(app.RoundAsync(), app.RoundAsync());

        var ticket = await app.TicketAsync(id);
        Assert.Equal("CLOSED", ticket.Str("status"));
        Assert.Equal("close_request_expired", ticket.Str("close_reason"));
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.closed");
    }

    [Fact]
    public async Task Only_staff_ask_and_only_the_owner_answers()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        var asked = await app.As(customer).PostJson($"/api/v1/tickets/{id}/close-request", new { });
        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        Assert.Equal("FORBIDDEN", (await asked.Body()).Str("error"));
        Assert.Equal(HttpStatusCode.Conflict, (await app.As(customer).PostAsync($"/api/v1/tickets/{id}/close-request/accept", null)).StatusCode);

        await app.As(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/close-request", new { });
        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(Unique.Agent()).PostAsync($"/api/v1/tickets/{id}/close-request/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.As(Unique.Customer()).PostAsync($"/api/v1/tickets/{id}/close-request/accept", null)).StatusCode);
        Assert.NotEqual("CLOSED", (await app.TicketAsync(id)).Str("status"));
    }
}
