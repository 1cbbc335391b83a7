using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Auth;

/// <summary>The shop's default key (full trust) and a partner key tied to issuer "partner" that may grant TEMP_USER and CUSTOMER.</summary>
public sealed class PartnerKeyApp() : TestApp(settings: new Dictionary<string, string?>
{
    ["Auth:Keys:0:Kid"] = ClaimSpelling.PartnerKid, ["Auth:Keys:0:Secret"] = ClaimSpelling.PartnerSecret,
    ["Auth:Keys:0:Issuer"] = ClaimSpelling.PartnerKid, ["Auth:Keys:0:Roles"] = "TEMP_USER,CUSTOMER",
});

/// <summary>
/// Claim names that differ only in case (issue #23, item 1), each a piece of JSON added to an otherwise good token,
/// with the reason the server gives. Also part of the bad-input corpus (<see cref="TokenCorpusTests"/>).
/// </summary>
public static class ClaimSpelling
{
    public const string PartnerKid = "partner";
    public const string PartnerSecret = "the-partner-backend-secret-of-32-bytes!!";

    public static readonly (string Extra, string Reason)[] PayloadVariants =
    [
        ("\"Role\":\"ADMIN\"", "Token repeats the claim 'role' as 'Role'"),
        ("\"ROLE\":\"ADMIN\"", "Token repeats the claim 'role' as 'ROLE'"),
        ("\"rOlE\":\"ADMIN\"", "Token repeats the claim 'role' as 'rOlE'"),
        ("\"ID\":\"victim\"", "Token repeats the claim 'id' as 'ID'"),
        ("\"Sub\":\"victim\"", "Token repeats the claim 'sub' as 'Sub'"),
        ("\"Iss\":\"shop\"", "Token repeats the claim 'iss' as 'Iss'"),
        ("\"JTI\":\"another\"", "Token repeats the claim 'jti' as 'JTI'"),
        ("\"Exp\":99999999999", "Token repeats the claim 'exp' as 'Exp'"),
        ("\"IAT\":99999999999", "Token repeats the claim 'iat' as 'IAT'"),
        ("\"R\\u006fLE\":\"ADMIN\"", "Token repeats the claim 'role' as 'RoLE'"), // escaped: compared as the reader unescapes it
        ("\"ctx\":{\"tier\":\"gold\",\"TIER\":\"staff\"}", "Token repeats the claim 'tier' as 'TIER'"), // nested objects too
    ];

    public static readonly (string Extra, string Reason)[] HeaderVariants =
    [
        ("\"KID\":\"other\"", "Token header repeats 'kid' as 'KID'"),
        ("\"ALG\":\"none\"", "Token header repeats 'alg' as 'ALG'"),
        ("\"Typ\":\"at+jwt\"", "Token header repeats 'typ' as 'Typ'"),
    ];

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A good payload (id and sub p1, CUSTOMER, iss, jti, iat, exp) with <paramref name="extra"/> added.</summary>
    public static string Payload(string extra, string issuer = PartnerKid, string id = "p1") =>
        $$"""{"id":"{{id}}","sub":"{{id}}","username":"u","role":"CUSTOMER","iss":"{{issuer}}","jti":"{{Guid.NewGuid():N}}","iat":{{Now - 10}},"exp":{{Now + 600}}{{(extra.Length > 0 ? "," + extra : "")}}}""";

    /// <summary>Signed with the partner key (kid "partner") or the shop's default key, with <paramref name="headerExtra"/> in the header.</summary>
    public static string Token(bool partner, string payload, string headerExtra = "")
    {
        var kid = partner ? PartnerKid : "shop";
        var header = $$"""{"alg":"HS256","typ":"JWT","kid":"{{kid}}"{{(headerExtra.Length > 0 ? "," + headerExtra : "")}}}""";
        return Tokens.Raw(payload, partner ? Encoding.UTF8.GetBytes(PartnerSecret) : Tokens.Key.Key, header);
    }

    public static TheoryData<bool, bool, string, string> Variants()
    {
        var data = new TheoryData<bool, bool, string, string>();
        foreach (var partner in new[] { false, true })
        {
            foreach (var (extra, reason) in PayloadVariants) data.Add(partner, false, extra, reason);
            foreach (var (extra, reason) in HeaderVariants) data.Add(partner, true, extra, reason);
        }
        return data;
    }
}

/// <summary>
/// One spelling per claim, for the shop's key and for a scoped key, on REST and on the hub: a name repeated in another
/// case is refused, a name in another case alone is not that claim, and a role is matched exactly.
/// </summary>
public sealed class ClaimSpellingTests(PartnerKeyApp app) : IClassFixture<PartnerKeyApp>
{
    private HttpClient With(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<string> HubAnswerTo(string token)
    {
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token });
        var reply = await hub.NextEventAsync();
        return reply.Name == "authorized" ? $"authorized {reply.Payload.Str("user_id")} {reply.Payload.Str("role")}" : reply.Payload.Str("message");
    }

    private static string VariantToken(bool partner, bool inHeader, string extra) => inHeader
        ? ClaimSpelling.Token(partner, ClaimSpelling.Payload(""), extra)
        : ClaimSpelling.Token(partner, ClaimSpelling.Payload(extra));

    [Theory]
    [MemberData(nameof(ClaimSpelling.Variants), MemberType = typeof(ClaimSpelling))]
    public async Task Rest_refuses_a_claim_name_repeated_in_another_case(bool partner, bool inHeader, string extra, string reason)
    {
        var response = await With(VariantToken(partner, inHeader, extra)).GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(reason, (await response.Body()).Str("message"));
    }

    [Theory]
    [MemberData(nameof(ClaimSpelling.Variants), MemberType = typeof(ClaimSpelling))]
    public async Task Hub_refuses_a_claim_name_repeated_in_another_case(bool partner, bool inHeader, string extra, string reason) =>
        Assert.Equal(reason, await HubAnswerTo(VariantToken(partner, inHeader, extra)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_good_token_the_variants_are_made_from_is_accepted_on_rest_and_hub(bool partner)
    {
        var token = ClaimSpelling.Token(partner, ClaimSpelling.Payload(""));
        Assert.Equal(HttpStatusCode.OK, (await With(token).GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(partner ? "authorized partner:p1 CUSTOMER" : "authorized p1 CUSTOMER", await HubAnswerTo(token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_claim_spelled_ID_alone_is_not_the_id(bool partner)
    {
        var own = Unique.Id("s");
        var token = ClaimSpelling.Token(partner, $$"""{"sub":"{{own}}","ID":"victim","role":"CUSTOMER","iss":"partner","exp":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}}}""");
        var expected = partner ? $"partner:{own}" : own;

        Assert.Equal(expected, (await With(token).CreateTicket()).Str("user_id"));
        Assert.Equal($"authorized {expected} CUSTOMER", await HubAnswerTo(token));
    }

    [Theory]
    [InlineData(false, "\"Role\":\"ADMIN\"")]
    [InlineData(true, "\"Role\":\"ADMIN\"")]
    [InlineData(false, "\"role\":\"admin\"")]
    [InlineData(true, "\"role\":\"customer\"")]
    public async Task A_role_is_read_only_from_role_and_matched_exactly(bool partner, string role)
    {
        var token = ClaimSpelling.Token(partner, $$"""{"id":"p1",{{role}},"iss":"partner","exp":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600}}}""");
        var response = await With(token).GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Token role must be one of TEMP_USER, CUSTOMER, AGENT, ADMIN", (await response.Body()).Str("message"));
        Assert.Equal("Token role must be one of TEMP_USER, CUSTOMER, AGENT, ADMIN", await HubAnswerTo(token));
    }

    [Fact]
    public async Task A_shop_token_with_ROLE_ADMIN_beside_role_CUSTOMER_cannot_use_an_admin_endpoint()
    {
        var token = ClaimSpelling.Token(partner: false, ClaimSpelling.Payload("\"ROLE\":\"ADMIN\"", issuer: "shop", id: Unique.Id("c")));
        var response = await With(token).PostJson("/api/v1/admin/revocations", new { user_id = "someone" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Token repeats the claim 'role' as 'ROLE'", (await response.Body()).Str("message"));
    }

    [Fact]
    public async Task A_partner_token_speaking_as_an_ADMIN_victim_in_another_case_cannot_delete_the_victims_ticket()
    {
        var victim = Unique.Customer();
        var ticket = await app.ClientFor(victim).CreateTicket();
        var token = ClaimSpelling.Token(partner: true, ClaimSpelling.Payload($"\"Role\":\"ADMIN\",\"ID\":\"{victim.Id}\""));

        var response = await With(token).DeleteAsync($"/api/v1/tickets/{ticket.Str("id")}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(victim).GetAsync($"/api/v1/tickets/{ticket.Str("id")}")).StatusCode);
        Assert.Equal("Token repeats the claim 'role' as 'Role'", await HubAnswerTo(token));
    }
}
