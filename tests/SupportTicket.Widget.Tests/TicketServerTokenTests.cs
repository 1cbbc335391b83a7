extern alias backend;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using backend::SupportTicket.TrustedBackend;
using backend::SupportTicket.TrustedBackend.Tokens;
using backend::SupportTicket.TrustedBackend.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Widget.Tests.Infrastructure;

namespace SupportTicket.Widget.Tests;

/// <summary>The ticket server trusts what the trusted backend mints, and nothing else (REST only).</summary>
[Collection(WidgetStackCollection.Name)]
public sealed class TicketServerTokenTests(WidgetStack stack)
{
    private static readonly UserDto Customer = new("u-token-test", "tokentest", "tokentest@example.com", Roles.Customer);

    [Fact]
    public async Task Ticket_server_accepts_a_token_the_trusted_backend_minted_at_sign_in()
    {
        using var backend = new BackendClient(stack.Backend);
        var session = await backend.SignInAsync("bob", UserStore.DemoPassword("bob"));

        var response = await GetTicketsAsync(session.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ticket_server_refuses_an_expired_backend_token()
    {
        // An hour past expiry, well beyond any clock-skew allowance the server may grant.
        var expired = Issuer(WidgetStack.JwtKey).Issue(Customer, DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromHours(1));

        var response = await GetTicketsAsync(expired.Token);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Ticket_server_refuses_a_token_whose_payload_was_tampered_with()
    {
        var token = Issuer(WidgetStack.JwtKey).Issue(Customer).Token;
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"CUSTOMER\"", "\"ADMIN\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var response = await GetTicketsAsync(tampered);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Ticket_server_refuses_a_token_signed_with_another_key()
    {
        var forged = Issuer("some-other-backend-key-0123456789abcdef").Issue(Customer).Token;

        var response = await GetTicketsAsync(forged);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Ticket_server_allows_cross_origin_calls_from_the_widget_origin()
    {
        using var client = stack.Server.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/tickets");
        preflight.Headers.Add("Origin", stack.Backend.BaseAddress.ToString().TrimEnd('/'));
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");

        var response = await client.SendAsync(preflight);

        Assert.True(response.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins),
            "the server sent no CORS headers for the widget's origin (Cors:AllowedOrigins)");
        Assert.Contains(origins, o => o == "*" || o == stack.Backend.BaseAddress.ToString().TrimEnd('/'));
    }

    private static TokenIssuer Issuer(string key) =>
        new(Options.Create(new BackendOptions { JwtSecretKey = key }), TimeProvider.System);

    private async Task<HttpResponseMessage> GetTicketsAsync(string token)
    {
        using var client = stack.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/v1/tickets");
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await BackendClient.ReadAsync<Dictionary<string, object>>(response);
        Assert.Equal("UNAUTHORIZED", body["error"].ToString());
    }
}
