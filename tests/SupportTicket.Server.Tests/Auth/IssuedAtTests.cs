using System.Net;
using System.Net.Http.Headers;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Auth;

/// <summary>
/// A token cannot be dated forward to escape its maximum lifetime or a revocation (issue #23, item 2), and a
/// revocation holds until every token it covered has expired.
/// </summary>
public sealed class IssuedAtTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private const long TenYears = 10L * 365 * 86_400;
    private const string Future = "Token is issued in the future (iat is later than now)";

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Token(string id, long iat, long exp, string? jti = null) =>
        Tokens.Raw($$"""{"id":"{{id}}","username":"u","role":"CUSTOMER","iat":{{iat}},"exp":{{exp}}{{(jti is null ? "" : $",\"jti\":\"{jti}\"")}}}""");

    private Task<HttpResponseMessage> List(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync("/api/v1/tickets");
    }

    [Fact]
    public async Task A_token_issued_ten_years_ahead_is_refused_on_rest_and_hub()
    {
        var iat = Now + TenYears;
        var token = Token(Unique.Id("c"), iat, iat + 3600);

        var response = await List(token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Future, (await response.Body()).Str("message"));

        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token });
        Assert.Equal(Future, (await hub.NextEventAsync("error")).Payload.Str("message"));
    }

    [Fact]
    public async Task A_token_dated_forward_does_not_outlive_revoking_its_user()
    {
        var id = Unique.Id("c");
        await app.ClientFor(Unique.Admin()).PostJson("/api/v1/admin/revocations", new { user_id = id });
        var iat = Now + TenYears;

        Assert.Equal(HttpStatusCode.Unauthorized, (await List(Token(id, iat, iat + 3600))).StatusCode);
    }

    [Fact]
    public async Task A_token_issued_within_the_clock_skew_ahead_is_accepted() =>
        Assert.Equal(HttpStatusCode.OK, (await List(Token(Unique.Id("c"), Now + 20, Now + 600))).StatusCode);

    [Theory]
    [InlineData("jti")]
    [InlineData("user_id")]
    public async Task A_revocation_holds_until_the_latest_token_it_covers_has_expired(string by)
    {
        // The latest-expiring token that is accepted now: iat at the edge of the skew, lifetime at the edge of maximum plus skew.
        var id = Unique.Id("c");
        var jti = Unique.Id("jti");
        var iat = Now + 29;
        var exp = iat + 86_400 + 29;
        Assert.Equal(HttpStatusCode.OK, (await List(Token(id, iat, exp, jti))).StatusCode);

        var revoked = await app.ClientFor(Unique.Admin())
            .PostJson("/api/v1/admin/revocations", by == "jti" ? (object)new { jti } : new { user_id = id });

        Assert.Equal(HttpStatusCode.Created, revoked.StatusCode);
        // The token is accepted until exp plus the 30 s skew; the revocation must still be there then.
        Assert.True((await revoked.Body()).GetProperty("expires_at").GetInt64() >= exp + 30);
    }
}
