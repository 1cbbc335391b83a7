using System.Net;
using System.Net.Http.Headers;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Auth;

/// <summary>Tokens that are signed correctly but say something ambiguous or too much; REST and the hub refuse them alike.</summary>
public sealed class TokenCorpusTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private async Task<(HttpStatusCode Status, string Message)> ListWith(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("/api/v1/tickets");
        var body = await response.Body();
        return (response.StatusCode, body.ValueKind == System.Text.Json.JsonValueKind.Object ? body.Str("message") : "");
    }

    private async Task<string> HubAnswerTo(string token)
    {
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token });
        var reply = await hub.NextEventAsync();
        return reply.Name == "authorized" ? "authorized" : reply.Payload.Str("message");
    }

    public static TheoryData<string, string> Ambiguous
    {
        get
        {
            var data = AmbiguousValues;
            // Claim names that differ only in case (ClaimSpellingTests has them for a scoped key and in the header too).
            foreach (var (extra, reason) in ClaimSpelling.PayloadVariants) data.Add(ClaimSpelling.Payload(extra, issuer: "shop"), reason);
            return data;
        }
    }

    private static TheoryData<string, string> AmbiguousValues => new()
    {
        { $$"""{"id":"u1","username":"u","role":["ADMIN","CUSTOMER"],"exp":{{Now + 600}}}""", "Token has more than one 'role'" },
        { $$"""{"id":"u1","username":"u","role":["CUSTOMER","ADMIN"],"exp":{{Now + 600}}}""", "Token has more than one 'role'" },
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","role":"ADMIN","exp":{{Now + 600}}}""", "Token repeats the claim 'role'" },
        { $$"""{"id":"u1","id":"u2","username":"u","role":"CUSTOMER","exp":{{Now + 600}}}""", "Token repeats the claim 'id'" },
        { $$"""{"id":["u1","u2"],"username":"u","role":"CUSTOMER","exp":{{Now + 600}}}""", "Token has more than one 'id'" },
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","ro\u006ce":"ADMIN","exp":{{Now + 600}}}""", "Token repeats the claim 'role'" },
        { $$"""{"id":"u1","username":"u","r\u006fle":["CUSTOMER","ADMIN"],"exp":{{Now + 600}}}""", "Token has more than one 'role'" },
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","exp":{{Now + 600}},"exp":{{Now + 9000}}}""", "Token repeats the claim 'exp'" },
        { $$"""{"sub":["u1","u2"],"username":"u","role":"CUSTOMER","exp":{{Now + 600}}}""", "Token is malformed" }, // the JWT library itself requires one string
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","iat":"yesterday","exp":{{Now + 600}}}""", "Token is malformed" }, // the JWT library reads iat itself
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","iat":99999999999999,"exp":{{Now + 600}}}""", "Token is issued in the future (iat is later than now)" },
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","iat":1e300,"exp":{{Now + 600}}}""", "Token is malformed" },
        { $$"""{"id":"u1","username":"u","role":"CUSTOMER","iat":-99999999999999,"exp":{{Now + 600}}}""", "Token lifetime exceeds the 86400 s this server accepts (exp - iat)" },
        { $$"""{"id":{"nested":"u1"},"username":"u","role":"CUSTOMER","exp":{{Now + 600}}}""", "Token claim 'id' must be a string" },
    };

    [Theory]
    [MemberData(nameof(Ambiguous), DisableDiscoveryEnumeration = true)] // exp is computed when the test runs, not at discovery
    public async Task Rest_refuses_a_token_with_more_than_one_role_id_or_sub(string payload, string reason)
    {
        var (status, message) = await ListWith(Tokens.Raw(payload));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(reason, message);
    }

    [Theory]
    [MemberData(nameof(Ambiguous), DisableDiscoveryEnumeration = true)] // exp is computed when the test runs, not at discovery
    public async Task Hub_refuses_a_token_with_more_than_one_role_id_or_sub(string payload, string reason) =>
        Assert.Equal(reason, await HubAnswerTo(Tokens.Raw(payload)));

    [Fact]
    public async Task A_token_living_longer_than_the_maximum_lifetime_is_refused_with_a_clear_reason()
    {
        var (status, message) = await ListWith(Tokens.Raw($$"""{"id":"u1","username":"u","role":"CUSTOMER","iat":{{Now}},"exp":{{Now + 2 * 86_400}}}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Token lifetime exceeds the 86400 s this server accepts (exp - iat)", message);
    }

    [Fact]
    public async Task A_token_expiring_in_the_year_5138_without_iat_is_refused_on_rest_and_hub()
    {
        var token = Tokens.Raw("""{"id":"u1","username":"u","role":"CUSTOMER","exp":99999999999}""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await ListWith(token)).Status);
        Assert.StartsWith("Token lifetime exceeds", await HubAnswerTo(token));
    }

    [Fact]
    public async Task A_token_within_the_maximum_lifetime_is_accepted()
    {
        var (status, _) = await ListWith(Tokens.Raw($$"""{"id":"u1","username":"u","role":"CUSTOMER","iat":{{Now}},"exp":{{Now + 86_000}}}"""));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_huge_token_is_refused_on_rest_and_hub()
    {
        var token = Tokens.Raw($$"""{"id":"u1","username":"{{new string('x', 8_000)}}","role":"CUSTOMER","exp":{{Now + 600}}}""");
        var (status, message) = await ListWith(token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("Token claim 'username' is longer than 256", message);
        Assert.StartsWith("Token claim 'username' is longer than 256", await HubAnswerTo(token));
    }
}
