using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Auth;

/// <summary>
/// Two trusted backends: the default key (the shop, full trust) and a partner's key tied to issuer "partner" that may
/// grant only TEMP_USER and CUSTOMER. The partner can neither read the shop's customers' tickets nor mint staff.
/// </summary>
public sealed class KeyScopeTests : IDisposable
{
    private const string PartnerSecret = "the-partner-backend-secret-of-32-bytes!!";
    private readonly TestApp _app = new(settings: new Dictionary<string, string?>
    {
        ["Auth:Keys:0:Kid"] = "partner", ["Auth:Keys:0:Secret"] = PartnerSecret,
        ["Auth:Keys:0:Issuer"] = "partner", ["Auth:Keys:0:Roles"] = "TEMP_USER,CUSTOMER",
    });

    private HttpClient Partner(TestUser user, string? issuer = "partner")
    {
        var claims = Tokens.Claims(user);
        if (issuer is not null) claims["iss"] = issuer;
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PartnerSecret));
        var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(claims, TimeSpan.FromHours(1), key, kid: "partner"));
        return client;
    }

    [Fact]
    public async Task A_partner_token_with_a_shop_customers_id_cannot_read_that_customers_ticket()
    {
        var victim = Unique.Customer();
        var ticket = await _app.ClientFor(victim).CreateTicket();

        var impostor = Partner(victim);

        Assert.Equal(HttpStatusCode.NotFound, (await impostor.GetAsync($"/api/v1/tickets/{ticket.Str("id")}")).StatusCode);
        Assert.Empty((await (await impostor.GetAsync("/api/v1/tickets")).Body()).EnumerateArray());
    }

    [Fact]
    public async Task A_partner_users_id_is_scoped_by_its_issuer()
    {
        var user = Unique.Customer();
        var ticket = await Partner(user).CreateTicket();
        Assert.Equal($"partner:{user.Id}", ticket.Str("user_id"));
    }

    [Fact]
    public async Task A_partner_key_cannot_mint_a_role_it_is_not_trusted_for()
    {
        var response = await Partner(Unique.Admin()).GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Token role ADMIN may not be granted by key 'partner'", (await response.Body()).Str("message"));
    }

    [Fact]
    public async Task A_partner_token_must_carry_its_issuer()
    {
        var response = await Partner(Unique.Customer(), issuer: "shop").GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Token issuer must be 'partner' for key 'partner'", (await response.Body()).Str("message"));
    }

    [Fact]
    public async Task The_hub_applies_the_same_scope()
    {
        var claims = Tokens.Claims(Unique.Agent());
        claims["iss"] = "partner";
        var token = Tokens.Mint(claims, TimeSpan.FromHours(1), new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PartnerSecret)), kid: "partner");
        await using var hub = await HubClient.ConnectAsync(_app);

        await hub.InvokeAsync("authorize", new { token });

        Assert.Equal("Token role AGENT may not be granted by key 'partner'", (await hub.NextEventAsync("error")).Payload.Str("message"));
    }

    [Fact]
    public async Task The_shop_key_still_grants_any_role() =>
        Assert.Equal(HttpStatusCode.OK, (await _app.ClientFor(Unique.Admin()).GetAsync("/api/v1/tickets")).StatusCode);

    public void Dispose() => _app.Dispose();
}
