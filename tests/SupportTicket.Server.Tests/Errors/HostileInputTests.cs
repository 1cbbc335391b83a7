using System.Net;
using System.Text;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Errors;

/// <summary>Input PostgreSQL cannot store is a 400, never a 500 from the driver.</summary>
public abstract class HostileInputTests(TestApp app)
{
    [Fact]
    public async Task Nul_in_a_query_filter_is_a_400()
    {
        var response = await app.ClientFor(Unique.Agent()).GetAsync("/api/v1/tickets?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"topic\": \"a\\u0000b\", \"description\": \"d\"}", "topic")]
    [InlineData("{\"topic\": \"lone \\ud800 surrogate\", \"description\": \"d\"}", "topic")]
    public async Task Unstorable_text_in_a_body_is_a_400_naming_the_field(string json, string field)
    {
        var response = await app.ClientFor(Unique.Customer()).PostAsync("/api/v1/tickets", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Body()).GetProperty("errors")[0].Str("location"));
    }

    [Fact]
    public async Task Token_with_a_nul_in_its_username_is_rejected()
    {
        var response = await app.ClientFor(new TestUser(Unique.Id("cust"), "bad\0name", "CUSTOMER")).GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Very_long_ids_and_search_text_are_answered_cleanly()
    {
        var agent = app.ClientFor(Unique.Agent());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/api/v1/tickets/" + new string('x', 2000))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/tickets?q=" + new string('x', 500))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/tickets?before=99999999999999999999999")).StatusCode);
    }

    [Fact]
    public async Task Deeply_nested_json_is_a_400()
    {
        var json = "{\"topic\": " + new string('[', 200) + new string(']', 200) + "}";
        var response = await app.ClientFor(Unique.Customer()).PostAsync("/api/v1/tickets", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class SqliteHostileInputTests(SqliteApp app) : HostileInputTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresHostileInputTests(PostgresApp app) : HostileInputTests(app), IClassFixture<PostgresApp>;
