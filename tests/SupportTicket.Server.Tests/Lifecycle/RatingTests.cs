using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

public sealed class RatingTests(SqliteLifecycleApp app) : IClassFixture<SqliteLifecycleApp>
{
    private async Task<(TestUser Customer, string Id)> ClosedTicketAsync()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await app.As(customer).PostJson($"/api/v1/tickets/{id}/close", new { });
        return (customer, id);
    }

    [Fact]
    public async Task The_owner_rates_a_closed_ticket_once()
    {
        var (customer, id) = await ClosedTicketAsync();

        var rated = await app.As(customer).PostJson($"/api/v1/tickets/{id}/rating", new { score = 4, comment = "Quick, thanks" });

        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        var rating = (await rated.Body()).GetProperty("rating");
        Assert.Equal(4, rating.GetProperty("score").GetInt32());
        Assert.Equal("Quick, thanks", rating.Str("comment"));
        Assert.Contains("ticket.rated", await app.EventTypesAsync(id));
        var again = await app.As(customer).PostJson($"/api/v1/tickets/{id}/rating", new { score = 1 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("CONFLICT", (await again.Body()).Str("error"));
        Assert.Equal(4, (await app.TicketAsync(id)).GetProperty("rating").GetProperty("score").GetInt32());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task A_score_outside_one_to_five_is_refused_with_a_field_error(int score)
    {
        var (customer, id) = await ClosedTicketAsync();
        var response = await app.As(customer).PostJson($"/api/v1/tickets/{id}/rating", new { score });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("score", (await response.Body()).GetProperty("errors")[0].Str("location"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await app.TicketAsync(id)).GetProperty("rating").ValueKind);
    }

    [Fact]
    public async Task Only_the_owner_may_rate_only_a_closed_ticket_and_only_within_fourteen_days()
    {
        var customer = Unique.Customer();
        var open = (await app.As(customer).CreateTicket()).Str("id");
        Assert.Equal(HttpStatusCode.Conflict, (await app.As(customer).PostJson($"/api/v1/tickets/{open}/rating", new { score = 5 })).StatusCode);

        var (owner, id) = await ClosedTicketAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/rating", new { score = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.As(Unique.Customer()).PostJson($"/api/v1/tickets/{id}/rating", new { score = 5 })).StatusCode);

        app.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1));
        var late = await app.As(owner).PostJson($"/api/v1/tickets/{id}/rating", new { score = 5 });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("14 days", (await late.Body()).Str("message"));
    }
}
