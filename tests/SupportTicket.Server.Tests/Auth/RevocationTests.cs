using System.Net;
using System.Net.Http.Headers;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Auth;

public sealed class RevocationTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    internal static string TokenWithJti(TestUser user, string jti)
    {
        var claims = Tokens.Claims(user);
        claims["jti"] = jti;
        return Tokens.Mint(claims, TimeSpan.FromHours(1));
    }

    internal static HttpClient With(TestApp app, string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_revoked_jti_is_refused_while_the_users_other_tokens_still_work()
    {
        var customer = Unique.Customer();
        var leaked = TokenWithJti(customer, Unique.Id("jti"));
        Assert.Equal(HttpStatusCode.OK, (await With(app, leaked).GetAsync("/api/v1/tickets")).StatusCode);

        var revoked = await app.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/revocations", new { jti = JtiOf(leaked) });

        Assert.Equal(HttpStatusCode.Created, revoked.StatusCode);
        var refused = await With(app, leaked).GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Token has been revoked", (await refused.Body()).Str("message"));
        Assert.Equal(HttpStatusCode.OK, (await With(app, TokenWithJti(customer, Unique.Id("jti"))).GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Fact]
    public async Task Revoking_a_user_refuses_every_token_issued_before_and_accepts_newer_ones()
    {
        var customer = Unique.Customer();
        var old = Tokens.For(customer);

        var revoked = await app.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/revocations", new { user_id = customer.Id });

        Assert.Equal(HttpStatusCode.Created, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With(app, old).GetAsync("/api/v1/tickets")).StatusCode);
        var fresh = Tokens.Raw($$"""{"id":"{{customer.Id}}","username":"c","role":"CUSTOMER","iat":{{Now + 1}},"exp":{{Now + 600}}}""");
        Assert.Equal(HttpStatusCode.OK, (await With(app, fresh).GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_may_revoke()
    {
        var response = await app.ClientFor(Unique.Agent()).PostJson("/api/v1/admin/revocations", new { user_id = "someone" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FORBIDDEN", (await response.Body()).Str("error"));
    }

    [Fact]
    public async Task A_revocation_names_exactly_one_of_jti_or_user_id()
    {
        var admin = app.ClientFor(Unique.Admin());
        var both = await admin.PostJson("/api/v1/admin/revocations", new { jti = "a", user_id = "b" });
        var neither = await admin.PostJson("/api/v1/admin/revocations", new { });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Equal("one_of", (await both.Body()).GetProperty("errors")[0].Str("type"));
    }

    [Fact]
    public async Task Revoking_a_jti_twice_answers_204_and_the_list_shows_it_once_until_it_expires()
    {
        var admin = app.ClientFor(Unique.Admin());
        var jti = Unique.Id("jti");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/v1/admin/revocations", new { jti })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJson("/api/v1/admin/revocations", new { jti })).StatusCode);

        var listed = (await (await admin.GetAsync("/api/v1/admin/revocations")).Body()).EnumerateArray().Where(r => r.GetProperty("jti").GetString() == jti).ToList();
        var entry = Assert.Single(listed);
        Assert.Equal(86_400 + 3 * 30, entry.GetProperty("expires_at").GetInt64() - entry.GetProperty("revoked_at").GetInt64());
    }

    private static string JtiOf(string token) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Id;
}

/// <summary>Two nodes on one database: a revocation made on one holds on the other within seconds.</summary>
public sealed class RevocationAcrossNodesTests
{
    /// <summary>Two apps on one SQLite file, reloading revocations every second.</summary>
    internal static (TestApp, TestApp) TwoNodes()
    {
        var first = new TestApp(Store.Sqlite, new Dictionary<string, string?> { ["Auth:RevocationRefreshSeconds"] = "1" });
        return (first, new TestApp(Store.Sqlite, new Dictionary<string, string?>
        {
            ["Storage:DatabaseUrl"] = first.DatabaseUrl, ["Auth:RevocationRefreshSeconds"] = "1",
        }));
    }

    [Fact]
    public async Task A_revocation_made_on_one_node_is_enforced_by_another()
    {
        var (first, second) = TwoNodes();
        using var _ = first;
        using var __ = second;
        var customer = Unique.Customer();
        var token = Tokens.For(customer);
        Assert.Equal(HttpStatusCode.OK, (await RevocationTests.With(second, token).GetAsync("/api/v1/tickets")).StatusCode);

        await first.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/revocations", new { user_id = customer.Id });

        Assert.True(await Eventually.Until(async () =>
            (await RevocationTests.With(second, token).GetAsync("/api/v1/tickets")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10)));
    }
}

public sealed class HubRevocationTests
{
    [Fact]
    public async Task A_live_hub_connection_whose_token_is_revoked_gets_error_and_is_closed()
    {
        using var app = new TestApp(Store.Sqlite);
        var customer = Unique.Customer();
        var jti = Unique.Id("jti");
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = RevocationTests.TokenWithJti(customer, jti) });
        await hub.NextEventAsync("authorized");

        await app.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/revocations", new { jti });

        Assert.Equal("Token has been revoked", (await hub.NextEventAsync("error")).Payload.Str("message"));
        await hub.Closed.WaitAsync(HubClient.DefaultTimeout);
    }

    [Fact]
    public async Task A_user_revoked_on_another_node_loses_their_hub_connections_within_seconds()
    {
        var (node1, node2) = RevocationAcrossNodesTests.TwoNodes();
        using var _ = node1;
        using var __ = node2;
        var customer = Unique.Customer();
        var other = Unique.Customer();
        await using var revoked = await HubClient.AuthorizedAsync(node1, customer);
        await using var untouched = await HubClient.AuthorizedAsync(node1, other);

        await node2.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/revocations", new { user_id = customer.Id });

        Assert.Equal("Token has been revoked", (await revoked.NextEventAsync("error")).Payload.Str("message"));
        await revoked.Closed.WaitAsync(HubClient.DefaultTimeout);
        Assert.False(untouched.Closed.IsCompleted);
    }
}
