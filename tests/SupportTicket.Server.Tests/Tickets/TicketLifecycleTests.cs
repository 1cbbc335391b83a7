using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Tickets;

public abstract class TicketLifecycleTests(TestApp app)
{
    [Fact]
    public async Task Customer_creates_a_ticket_with_the_seed_fields()
    {
        var customer = Unique.Customer();
        var response = await app.ClientFor(customer).PostJson("/api/v1/tickets", new { topic = "  Login broken ", description = "Cannot sign in" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = await response.Body();
        Assert.Equal("Login broken", ticket.Str("topic"));
        Assert.Equal(customer.Id, ticket.Str("user_id"));
        Assert.Equal("OPEN", ticket.Str("status"));
        Assert.Equal("CUSTOMER", ticket.Str("user_role"));
        Assert.Equal("GENERAL", ticket.Str("support_role"));
        Assert.Equal("NORMAL", ticket.Str("issue_level"));
        Assert.True(ticket.GetProperty("number").GetInt64() > 0);
        Assert.Equal(0, ticket.GetProperty("last_seq").GetInt64());
        Assert.Equal($"/api/v1/tickets/{ticket.Str("id")}", response.Headers.Location!.OriginalString);
    }
}

public sealed class SqliteTicketLifecycleTests(SqliteApp app) : TicketLifecycleTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresTicketLifecycleTests(PostgresApp app) : TicketLifecycleTests(app), IClassFixture<PostgresApp>;
