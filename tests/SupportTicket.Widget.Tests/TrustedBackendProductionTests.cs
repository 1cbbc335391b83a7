extern alias backend;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using backend::SupportTicket.TrustedBackend.Users;
using SupportTicket.Testing;
using SupportTicket.Widget.Tests.Infrastructure;

namespace SupportTicket.Widget.Tests;

/// <summary>The sample backend as deployed: Production, behind a TLS-terminating proxy on loopback.</summary>
public sealed class ProductionBackend : IAsyncLifetime
{
    public KestrelApp Backend { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Backend = KestrelApp.Start("TrustedBackend", FreeTcpPort.Pick(), new Dictionary<string, string?>
        {
            ["JWT_SECRET_KEY"] = WidgetStack.JwtKey,
            ["WIDGET_DIR"] = Path.Combine(RepoPaths.Root, "samples", "widget"),
            ["KNOWN_PROXIES"] = "127.0.0.1",
            ["GUESTS_PER_HOUR"] = "3",
            ["Logging:LogLevel:Default"] = "Warning",
        }, b => b.UseEnvironment("Production"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}

public sealed class TrustedBackendProductionTests(ProductionBackend production) : IClassFixture<ProductionBackend>
{
    [Fact]
    public async Task Demo_accounts_do_not_exist_outside_development()
    {
        using var client = new BackendClient(production.Backend);

        var response = await client.PostAsync("/auth/signin", new { username = "admin", password = UserStore.DemoPassword("admin") });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Behind_a_known_tls_proxy_the_refresh_cookie_is_secure()
    {
        using var client = new BackendClient(production.Backend);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/signup")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = "carol" + Guid.NewGuid().ToString("N")[..6], email = "c@example.com", password = "a-long-password-1" }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("st_refresh=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task One_address_may_start_only_a_few_guest_sessions_an_hour()
    {
        using var client = new BackendClient(production.Backend);
        async Task<HttpStatusCode> GuestFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/guest") { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
            request.Headers.Add("X-Forwarded-For", address);
            return (await client.Http.SendAsync(request)).StatusCode;
        }
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await GuestFrom("198.51.100.7"));

        Assert.Equal(HttpStatusCode.TooManyRequests, await GuestFrom("198.51.100.7"));
        Assert.Equal(HttpStatusCode.OK, await GuestFrom("198.51.100.8"));
    }
}
