using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.RateLimiting;

/// <summary>
/// Caps keyed by address, over real sockets on a loopback Kestrel: connections that have not authorized (per address
/// and in total) and guests (per address). Customers behind the same address are never capped by it.
/// </summary>
public sealed class HubAddressCapTests
{
    private static (TestApp App, Uri Server) Start(Dictionary<string, string?> settings)
    {
        var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(settings));
        return (app, app.StartOnLoopback());
    }

    [Fact]
    public async Task Unauthorized_connections_over_the_per_address_cap_are_closed_while_a_customer_still_connects()
    {
        var (app, server) = Start(new() { ["RateLimits:MaxAnonymousHubConnectionsPerAddress"] = "5" });
        using var _ = app;
        var idle = new List<HubClient>();
        for (var i = 0; i < 5; i++) idle.Add(await HubClient.ConnectAsync(server));
        foreach (var c in idle) await c.ReadyAsync();

        await using var sixth = await HubClient.ConnectAsync(server);
        await using var customer = await HubClient.ConnectAsync(server, Tokens.For(Unique.Customer()));

        await sixth.Closed.WaitAsync(HubClient.DefaultTimeout);
        Assert.Contains(sixth.Pending(), e => e.Name == "error"
            && e.Payload.Str("message") == "Too many connections: at most 5 unauthorized hub connections per address are allowed");
        Assert.Equal("authorized", (await customer.NextEventAsync()).Name);
        Assert.DoesNotContain(idle, c => c.Closed.IsCompleted);
        foreach (var c in idle) await c.DisposeAsync();
    }

    [Fact]
    public async Task Authorizing_frees_the_place_under_the_unauthorized_cap()
    {
        var (app, server) = Start(new() { ["RateLimits:MaxAnonymousHubConnectionsPerAddress"] = "1" });
        using var _ = app;
        await using var first = await HubClient.ConnectAsync(server);
        await first.InvokeAsync("authorize", new { token = Tokens.For(Unique.Customer()) });
        await first.NextEventAsync("authorized");

        await using var second = await HubClient.ConnectAsync(server);

        await second.AssertNoEventAsync("error", TimeSpan.FromMilliseconds(500));
        Assert.False(second.Closed.IsCompleted);
    }

    [Fact]
    public async Task Unauthorized_connections_over_the_total_cap_are_closed()
    {
        var (app, server) = Start(new() { ["RateLimits:MaxAnonymousHubConnections"] = "2" });
        using var _ = app;
        await using var first = await HubClient.ConnectAsync(server);
        await using var second = await HubClient.ConnectAsync(server);
        await first.ReadyAsync();
        await second.ReadyAsync();

        await using var third = await HubClient.ConnectAsync(server);

        await third.Closed.WaitAsync(HubClient.DefaultTimeout);
        Assert.Contains(third.Pending(), e => e.Name == "error" && e.Payload.Str("message") == "Too many unauthorized hub connections: try again shortly");
    }

    [Fact]
    public async Task Guests_over_the_per_address_cap_are_closed_while_customers_behind_the_address_are_not()
    {
        var (app, server) = Start(new() { ["RateLimits:MaxGuestHubConnectionsPerAddress"] = "2" });
        using var _ = app;
        await using var first = await HubClient.ConnectAsync(server, Tokens.For(Unique.Guest()));
        await using var second = await HubClient.ConnectAsync(server, Tokens.For(Unique.Guest()));
        await first.NextEventAsync("authorized");
        await second.NextEventAsync("authorized");

        await using var third = await HubClient.ConnectAsync(server, Tokens.For(Unique.Guest()));
        var customers = new List<HubClient>();
        for (var i = 0; i < 5; i++) customers.Add(await HubClient.ConnectAsync(server, Tokens.For(Unique.Customer())));

        await third.Closed.WaitAsync(HubClient.DefaultTimeout);
        Assert.Contains(third.Pending(), e => e.Name == "error" && e.Payload.Str("message") == "Too many connections: at most 2 guest hub connections per address are allowed");
        foreach (var c in customers)
        {
            Assert.Equal("authorized", (await c.NextEventAsync()).Name);
            Assert.False(c.Closed.IsCompleted);
            await c.DisposeAsync();
        }
    }
}

public sealed class GuestAddressBudgetTests
{
    [Fact]
    public async Task Guests_from_one_address_share_a_ticket_creation_budget_that_customers_do_not()
    {
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new() { ["RateLimits:Policies:GuestCreateTicket:PermitLimit"] = "4" }));
        var created = 0;
        HttpResponseMessage? refused = null;
        for (var guest = 0; guest < 5 && refused is null; guest++)
        {
            var client = app.ClientFor(Unique.Guest());
            for (var i = 0; i < 3 && refused is null; i++)
            {
                var response = await client.PostJson("/api/v1/tickets", new { topic = "t", description = "d" });
                if (response.StatusCode == HttpStatusCode.Created) created++;
                else refused = response;
            }
        }

        Assert.Equal(4, created);
        await RateLimitAssertions.AssertRateLimited(refused!, limit: 4, windowSeconds: 600);
        Assert.Equal(HttpStatusCode.Created, (await app.ClientFor(Unique.Customer()).PostJson("/api/v1/tickets", new { topic = "t", description = "d" })).StatusCode);
    }
}
