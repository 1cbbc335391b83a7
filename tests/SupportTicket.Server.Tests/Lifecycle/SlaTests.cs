using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

public sealed class SlaTests(SqliteLifecycleApp app) : IClassFixture<SqliteLifecycleApp>
{
    [Fact]
    public async Task A_ticket_carries_its_first_response_deadline_and_a_staff_reply_answers_it()
    {
        var customer = Unique.Customer();
        var ticket = await app.As(customer).CreateTicket();
        var id = ticket.Str("id");
        Assert.Equal(ticket.GetProperty("created_at").GetInt64() + 3600, (await app.TicketAsync(id)).GetProperty("sla").GetProperty("first_response_due_at").GetInt64());
        Assert.Equal(ticket.GetProperty("created_at").GetInt64() + 3600, ticket.GetProperty("sla").GetProperty("first_response_due_at").GetInt64());

        await app.As(Unique.Agent()).PostMessage(id, "Looking at it");
        var answered = (await app.TicketAsync(id)).GetProperty("sla");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answered.GetProperty("first_response_due_at").ValueKind);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.As(customer).PostMessage(id, "Any news?");
        Assert.Equal(app.Now + 30 * 60, (await app.TicketAsync(id)).GetProperty("sla").GetProperty("next_response_due_at").GetInt64());
        // A second customer message does not push the deadline back.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.As(customer).PostMessage(id, "Hello?");
        Assert.Equal(app.Now + 25 * 60, (await app.TicketAsync(id)).GetProperty("sla").GetProperty("next_response_due_at").GetInt64());
    }

    [Fact]
    public async Task A_missed_first_response_is_a_breach_once_with_its_event_and_filter()
    {
        var id = (await app.As(Unique.Customer()).CreateTicket()).Str("id");
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await app.RoundAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await app.TicketAsync(id)).GetProperty("sla").GetProperty("breached_at").ValueKind);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(app.RoundAsync(), app.RoundAsync());
        await app.RoundAsync();

        Assert.Equal(app.Now, (await app.TicketAsync(id)).GetProperty("sla").GetProperty("breached_at").GetInt64());
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.sla_breached");
        var agent = app.As(Unique.Agent());
        var breached = await (await agent.GetAsync("/api/v1/tickets?sla=breached")).Body();
        Assert.Contains(breached.EnumerateArray(), t => t.Str("id") == id);
        var metrics = await (await app.Anonymous().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("supportticket_sla_breaches", metrics);
    }

    [Fact]
    public async Task Due_soon_lists_tickets_whose_deadline_is_within_the_hour_and_customers_may_not_filter()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        var dueSoon = await (await app.As(Unique.Agent()).GetAsync("/api/v1/tickets?sla=due_soon&limit=100")).Body();
        Assert.Contains(dueSoon.EnumerateArray(), t => t.Str("id") == id);

        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(customer).GetAsync("/api/v1/tickets?sla=due_soon")).StatusCode);
        var bad = await app.As(Unique.Agent()).GetAsync("/api/v1/tickets?sla=late");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("sla", (await bad.Body()).GetProperty("errors")[0].Str("location"));
    }

    [Fact]
    public async Task A_missed_next_response_is_a_breach_too()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await app.As(Unique.Agent()).PostMessage(id, "Hi");
        await app.As(customer).PostMessage(id, "Still broken");
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await app.RoundAsync();
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.sla_breached");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await app.TicketAsync(id)).GetProperty("sla").GetProperty("next_response_due_at").ValueKind);
    }
}
