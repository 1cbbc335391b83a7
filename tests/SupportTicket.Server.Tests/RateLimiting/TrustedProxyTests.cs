using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.RateLimiting;

/// <summary>Per-IP limits see the client behind a named proxy, and only behind a named proxy.</summary>
public sealed class TrustedProxyTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.1");

    /// <summary>Every request arrives from the proxy's address, as behind a real reverse proxy.</summary>
    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, rest) =>
            {
                context.Connection.RemoteIpAddress = Proxy;
                return rest(context);
            });
            next(app);
        };
    }

    private static async Task<HttpStatusCode> FailedLoginFrom(WebApplicationFactoryClient app, string clientIp)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tickets");
        request.Headers.Add("X-Forwarded-For", clientIp);
        request.Headers.Authorization = new("Bearer", "forged.token.value");
        return (await app.Client.SendAsync(request)).StatusCode;
    }

    private sealed record WebApplicationFactoryClient(HttpClient Client);

    private static WebApplicationFactoryClient Start(TestApp app) =>
        new(app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new FromProxy()))).CreateClient());

    [Fact]
    public async Task Clients_behind_a_known_proxy_are_counted_by_their_forwarded_address()
    {
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new()
        {
            ["RateLimits:Policies:AuthFailures:PermitLimit"] = "2", ["Server:KnownProxies"] = "10.0.0.0/8",
        }));
        var client = Start(app);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, await FailedLoginFrom(client, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailedLoginFrom(client, "203.0.113.7"));

        Assert.Equal(HttpStatusCode.Unauthorized, await FailedLoginFrom(client, "198.51.100.9"));
    }

    [Fact]
    public async Task Forwarded_addresses_are_ignored_without_a_known_proxy()
    {
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new() { ["RateLimits:Policies:AuthFailures:PermitLimit"] = "2" }));
        var client = Start(app);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, await FailedLoginFrom(client, $"203.0.113.{i}"));

        // A forged header from an unknown peer changes nothing: the proxy's own address is what counts.
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailedLoginFrom(client, "198.51.100.9"));
    }

    [Fact]
    public async Task Ipv6_clients_are_counted_per_slash_64()
    {
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new()
        {
            ["RateLimits:Policies:AuthFailures:PermitLimit"] = "2", ["Server:KnownProxies"] = "10.0.0.0/8",
        }));
        var client = Start(app);
        Assert.Equal(HttpStatusCode.Unauthorized, await FailedLoginFrom(client, "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await FailedLoginFrom(client, "2001:db8:1:2:aaaa::2"));

        // Another address of the same /64 is the same subscriber; another /64 is someone else.
        Assert.Equal(HttpStatusCode.TooManyRequests, await FailedLoginFrom(client, "2001:db8:1:2:ffff::3"));
        Assert.Equal(HttpStatusCode.Unauthorized, await FailedLoginFrom(client, "2001:db8:1:3::1"));
    }
}
