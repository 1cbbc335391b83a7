using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Auth;

public sealed class TokenValidationTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<(HttpStatusCode Status, string Error, string Message)> ListWith(string? token)
    {
        var client = app.Anonymous();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync("/api/v1/tickets");
        var body = await response.Body();
        return (response.StatusCode, body.Str("error"), body.Str("message"));
    }

    [Fact]
    public async Task Request_without_a_token_is_401_with_the_seed_body()
    {
        var (status, error, message) = await ListWith(null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHORIZED", error);
        Assert.Equal("Missing bearer token", message);
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_rejected()
    {
        var other = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a-completely-different-secret-of-32-bytes+"));
        var (status, _, message) = await ListWith(Tokens.Mint(Tokens.Claims(Unique.Customer()), TimeSpan.FromHours(1), other));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("signature", message);
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_rejected()
    {
        var (status, error, _) = await ListWith(Tokens.AlgNone(TestUser.Admin()));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHORIZED", error);
    }

    [Fact]
    public async Task Expired_token_is_rejected()
    {
        var (status, _, message) = await ListWith(Tokens.Mint(Tokens.Claims(Unique.Customer()), TimeSpan.FromMinutes(-5)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Token has expired", message);
    }

    [Fact]
    public async Task Token_that_is_not_yet_valid_is_rejected()
    {
        var token = Tokens.Mint(Tokens.Claims(Unique.Customer()), TimeSpan.FromHours(3), notBefore: DateTime.UtcNow.AddHours(1));
        var (status, _, message) = await ListWith(token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Token is not valid yet", message);
    }

    [Fact]
    public async Task Token_without_expiry_is_rejected()
    {
        var token = Tokens.Mint(Tokens.Claims(Unique.Customer()), TimeSpan.Zero, withExpiry: false);
        var (status, _, _) = await ListWith(token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("SUPERUSER")]
    [InlineData("customer")]
    [InlineData("")]
    public async Task Token_with_an_unknown_role_is_rejected(string role)
    {
        var claims = Tokens.Claims(Unique.Customer());
        claims["role"] = role;
        var (status, _, message) = await ListWith(Tokens.Mint(claims, TimeSpan.FromHours(1)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("Token role must be one of", message);
    }

    [Fact]
    public async Task Token_without_a_user_id_is_rejected()
    {
        var claims = Tokens.Claims(Unique.Customer());
        claims.Remove("id");
        var (status, _, message) = await ListWith(Tokens.Mint(claims, TimeSpan.FromHours(1)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("no user id", message);
    }

    [Fact]
    public async Task Garbage_in_place_of_a_token_is_rejected()
    {
        var (status, error, _) = await ListWith("not.a.jwt");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHORIZED", error);
    }

    [Fact]
    public async Task Sub_is_the_user_id_when_id_is_absent()
    {
        var claims = Tokens.Claims(Unique.Customer());
        claims.Remove("id");
        claims["sub"] = "subject-42";
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(claims, TimeSpan.FromHours(1)));
        var ticket = await client.CreateTicket();
        Assert.Equal("subject-42", ticket.Str("user_id"));
    }
}

public sealed class KeyRotationTests : IDisposable
{
    private const string RotatedSecret = "the-second-trusted-backend-secret-32b!!";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly TestApp _app;

    public KeyRotationTests()
    {
        _app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Kid"] = "shop-2026", ["Auth:Keys:0:Secret"] = RotatedSecret,
            ["Auth:Keys:1:Kid"] = "game-rsa", ["Auth:Keys:1:PublicKeyPem"] = _rsa.ExportSubjectPublicKeyInfoPem(),
            ["Auth:Issuer"] = "shop,game", ["Auth:Audience"] = "supportticket",
        });
    }

    private async Task<HttpStatusCode> StatusWith(SecurityKey key, string? kid, string? issuer = "shop", string? audience = "supportticket")
    {
        var claims = Tokens.Claims(Unique.Customer());
        if (issuer is not null) claims["iss"] = issuer;
        if (audience is not null) claims["aud"] = audience;
        var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(claims, TimeSpan.FromHours(1), key, kid: kid));
        return (await client.GetAsync("/api/v1/tickets")).StatusCode;
    }

    [Fact]
    public async Task Token_signed_with_a_rotated_key_is_accepted_by_its_kid() =>
        Assert.Equal(HttpStatusCode.OK, await StatusWith(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(RotatedSecret)), "shop-2026"));

    [Fact]
    public async Task Token_signed_with_the_default_key_is_still_accepted() =>
        Assert.Equal(HttpStatusCode.OK, await StatusWith(new SymmetricSecurityKey(Tokens.Key.Key), null));

    [Fact]
    public async Task Rs256_token_from_a_pem_key_is_accepted() =>
        Assert.Equal(HttpStatusCode.OK, await StatusWith(new RsaSecurityKey(_rsa), "game-rsa", issuer: "game"));

    [Fact]
    public async Task Token_signed_with_the_wrong_key_for_its_kid_is_rejected() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(new SymmetricSecurityKey(Tokens.Key.Key), "shop-2026"));

    [Fact]
    public async Task Token_from_an_untrusted_issuer_is_rejected() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(new SymmetricSecurityKey(Tokens.Key.Key), null, issuer: "evil"));

    [Fact]
    public async Task Token_for_another_audience_is_rejected() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWith(new SymmetricSecurityKey(Tokens.Key.Key), null, audience: "other-app"));

    public void Dispose()
    {
        _app.Dispose();
        _rsa.Dispose();
    }
}
