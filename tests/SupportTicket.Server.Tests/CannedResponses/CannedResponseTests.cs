using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.CannedResponses;

public abstract class CannedResponseTests(TestApp app)
{
    private const string Url = "/api/v1/canned-responses";

    [Fact]
    public async Task Admins_write_staff_read_customers_are_refused()
    {
        var admin = app.ClientFor(Unique.Admin());
        var name = Unique.Id("greet");
        var created = await admin.PostJson(Url, new { name = name.ToUpperInvariant(), body = "Hi {{ customer_name }}, {{agent_name}} here about #{{ticket_number}}.", level = "urgent" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var canned = await created.Body();
        var id = canned.Str("id");
        Assert.Equal(name, canned.Str("name"));
        Assert.Equal("URGENT", canned.Str("level"));
        Assert.Equal($"{Url}/{id}", created.Headers.Location!.OriginalString);

        var agent = app.ClientFor(Unique.Agent());
        Assert.Equal(name, (await (await agent.GetAsync($"{Url}/{id}")).Body()).Str("name"));
        var urgent = await (await agent.GetAsync($"{Url}?level=URGENT")).Body();
        Assert.Contains(urgent.EnumerateArray(), c => c.Str("id") == id);
        var normal = await (await agent.GetAsync($"{Url}?level=NORMAL")).Body();
        Assert.DoesNotContain(normal.EnumerateArray(), c => c.Str("id") == id);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync($"{Url}?level=SOON")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson(Url, new { name = Unique.Id("agent"), body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PatchJson($"{Url}/{id}", new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"{Url}/{id}")).StatusCode);
        var customer = app.ClientFor(Unique.Customer());
        var refused = await customer.GetAsync(Url);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("FORBIDDEN", (await refused.Body()).Str("error"));

        var patched = await (await admin.PatchJson($"{Url}/{id}", new { level = (string?)null, body = "Bye {{customer_name}}" })).Body();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, patched.GetProperty("level").ValueKind);
        Assert.Equal("Bye {{customer_name}}", patched.Str("body"));
        Assert.Contains((await (await agent.GetAsync($"{Url}?level=NORMAL")).Body()).EnumerateArray(), c => c.Str("id") == id);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{Url}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Url}/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{Url}/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("Hello {{ customer_email }}", "placeholder")]
    [InlineData("Hello {{customer_name | upcase}}", "placeholder")]
    [InlineData("{% if true %}x{% endif %}", "template")]
    [InlineData("Hello {{ customer_name", "template")]
    public async Task Unknown_placeholders_and_templates_are_refused_and_nothing_is_saved(string body, string type)
    {
        var admin = app.ClientFor(Unique.Admin());
        var name = Unique.Id("bad");
        var refused = await admin.PostJson(Url, new { name, body });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = await refused.Body();
        Assert.Equal("BAD_REQUEST", error.Str("error"));
        Assert.Equal("body", error.GetProperty("errors")[0].Str("location"));
        Assert.Equal(type, error.GetProperty("errors")[0].Str("type"));
        Assert.DoesNotContain((await (await admin.GetAsync(Url)).Body()).EnumerateArray(), c => c.Str("name") == name);

        var good = await (await admin.PostJson(Url, new { name, body = "fine" })).Body();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchJson($"{Url}/{good.Str("id")}", new { body })).StatusCode);
        Assert.Equal("fine", (await (await admin.GetAsync($"{Url}/{good.Str("id")}")).Body()).Str("body"));
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_on_create_and_rename_and_changes_nothing()
    {
        var admin = app.ClientFor(Unique.Admin());
        var first = Unique.Id("dup");
        var second = Unique.Id("dup");
        await admin.PostJson(Url, new { name = first, body = "one" });
        var other = await (await admin.PostJson(Url, new { name = second, body = "two" })).Body();

        var again = await admin.PostJson(Url, new { name = first.ToUpperInvariant(), body = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("CONFLICT", (await again.Body()).Str("error"));
        var renamed = await admin.PatchJson($"{Url}/{other.Str("id")}", new { name = first, body = "changed" });
        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        var kept = await (await admin.GetAsync($"{Url}/{other.Str("id")}")).Body();
        Assert.Equal((second, "two"), (kept.Str("name"), kept.Str("body")));
        Assert.Single((await (await admin.GetAsync(Url)).Body()).EnumerateArray(), c => c.Str("name") == first);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostJson(Url, new { name = "has space", body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchJson($"{Url}/{other.Str("id")}", new { colour = "red" })).StatusCode);
    }
}

public sealed class SqliteCannedResponseTests(SqliteApp app) : CannedResponseTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresCannedResponseTests(PostgresApp app) : CannedResponseTests(app), IClassFixture<PostgresApp>;
