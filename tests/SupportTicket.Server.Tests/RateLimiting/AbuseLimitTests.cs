using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.RateLimiting.RateLimitAssertions;

namespace SupportTicket.Server.Tests.RateLimiting;

/// <summary>Limits a public widget needs. Each test has its own app: the failed-auth count is per IP, and all test clients share one.</summary>
public sealed class AbuseLimitTests
{
    private static TestApp App(Dictionary<string, string?> settings) => new(Store.Sqlite, RateLimitSettings.Limits(settings));

    [Fact]
    public async Task An_ip_with_too_many_failed_logins_gets_429_for_bad_tokens()
    {
        using var app = App(new() { ["RateLimits:Policies:AuthFailures:PermitLimit"] = "3" });
        var forger = app.Anonymous();
        forger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.AlgNone(Unique.Customer()));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await forger.GetAsync("/api/v1/tickets")).StatusCode);

        await AssertRateLimited(await forger.GetAsync("/api/v1/tickets"), limit: 3, windowSeconds: 60);
    }

    [Fact]
    public async Task Failed_logins_from_an_address_never_lock_out_valid_users_behind_it()
    {
        using var app = App(new() { ["RateLimits:Policies:AuthFailures:PermitLimit"] = "20" });
        var attacker = app.Anonymous();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/api/v1/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.GetAsync("/api/v1/tickets")).StatusCode);

        var served = 0;
        for (var i = 0; i < 50; i++)
            if ((await app.ClientFor(Unique.Customer()).GetAsync("/api/v1/tickets")).StatusCode == HttpStatusCode.OK) served++;

        Assert.Equal(50, served);
        await using var widget = await HubClient.ConnectAsync(app, Tokens.For(Unique.Customer()));
        Assert.Equal("authorized", (await widget.NextEventAsync()).Name);
    }

    [Fact]
    public async Task Requests_without_a_token_are_counted_per_ip_apart_from_signed_in_users()
    {
        using var app = App(new() { ["RateLimits:Policies:ListTickets:PermitLimit"] = "2" });
        var anonymous = app.Anonymous();
        for (var i = 0; i < 2; i++)
        {
            var allowed = await anonymous.GetAsync("/api/v1/tickets");
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
            Assert.Equal(1 - i, allowed.Header("X-RateLimit-Remaining"));
        }

        await AssertRateLimited(await app.Anonymous().GetAsync("/api/v1/tickets"), limit: 2, windowSeconds: 60);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(Unique.Customer()).GetAsync("/api/v1/tickets")).StatusCode);
    }

    [Fact]
    public async Task Successful_requests_do_not_count_as_failed_logins()
    {
        using var app = App(new() { ["RateLimits:Policies:AuthFailures:PermitLimit"] = "2" });
        var client = app.ClientFor(Unique.Customer());
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tickets")).StatusCode);

        var firstFailure = await app.Anonymous().GetAsync("/api/v1/tickets");

        Assert.Equal(HttpStatusCode.Unauthorized, firstFailure.StatusCode);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_customer_at_the_open_ticket_cap_gets_409_with_a_clear_message(Store store)
    {
        using var app = new TestApp(store, RateLimitSettings.Limits(new() { ["RateLimits:MaxOpenTicketsPerUser"] = "2" }));
        var client = app.ClientFor(Unique.Customer());
        await client.CreateTicket("First");
        await client.CreateTicket("Second");

        var third = await client.PostJson("/api/v1/tickets", new { topic = "Third", description = "d" });

        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        var body = await third.Body();
        Assert.Equal("CONFLICT", body.Str("error"));
        Assert.Equal("You already have 2 open tickets; close one before opening another", body.Str("message"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Concurrent_creates_of_one_customer_stop_exactly_at_the_open_ticket_cap(Store store)
    {
        using var app = new TestApp(store, RateLimitSettings.Limits(new()
        {
            ["RateLimits:MaxOpenTicketsPerUser"] = "3", ["RateLimits:Policies:CreateTicket:PermitLimit"] = "100",
        }));
        var client = app.ClientFor(Unique.Customer());

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.PostJson("/api/v1/tickets", new { topic = $"t{i}", description = "d" })));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3, (await (await client.GetAsync("/api/v1/tickets")).Body()).GetArrayLength());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)] // PostgreSQL's create SQL repeats TicketAccess.IsOpen: this pins the two together
    public async Task Closing_a_ticket_frees_a_slot_under_the_open_ticket_cap(Store store)
    {
        using var app = new TestApp(store, RateLimitSettings.Limits(new()
        {
            ["RateLimits:MaxOpenTicketsPerUser"] = "1", ["RateLimits:Policies:CreateTicket:PermitLimit"] = "10",
        }));
        var client = app.ClientFor(Unique.Guest());
        var first = await client.CreateTicket("First");
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJson("/api/v1/tickets", new { topic = "Second", description = "d" })).StatusCode);

        await client.PostJson($"/api/v1/tickets/{first.Str("id")}/close", new { });

        Assert.Equal(HttpStatusCode.Created, (await client.PostJson("/api/v1/tickets", new { topic = "Second", description = "d" })).StatusCode);
    }

    [Fact]
    public async Task Staff_are_not_held_to_the_open_ticket_cap()
    {
        using var app = App(new() { ["RateLimits:MaxOpenTicketsPerUser"] = "1", ["RateLimits:Policies:CreateTicket:PermitLimit"] = "10" });
        var agent = app.ClientFor(Unique.Agent());

        await agent.CreateTicket("First");
        var second = await agent.PostJson("/api/v1/tickets", new { topic = "Second", description = "d" });

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task A_body_larger_than_the_configured_maximum_gets_413_with_the_seed_body()
    {
        using var app = new TestApp(Store.Sqlite, new Dictionary<string, string?> { ["Server:MaxRequestBodyBytes"] = "2048" });
        // A real socket and a chunked body, which declares no length: Kestrel itself must stop it.
        using var client = new HttpClient { BaseAddress = app.StartOnLoopback() };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(Unique.Customer()));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
        {
            Content = JsonContent.Create(new { topic = "Big", description = new string('x', 10_000) }),
        };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", (await response.Body()).Str("error"));
    }
}
