using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.RateLimiting;

/// <summary>typing 3, subscribe 3, two connections per user; authorize attempts are per IP, so they get their own app.</summary>
public sealed class HubLimitsApp() : TestApp(Store.Sqlite, RateLimitSettings.Limits(new()
{
    ["RateLimits:Policies:HubTyping:PermitLimit"] = "3",
    ["RateLimits:Policies:HubSubscribe:PermitLimit"] = "3",
    ["RateLimits:Policies:HubAuthorize:PermitLimit"] = "1000",
    ["RateLimits:MaxHubConnectionsPerUser"] = "2",
}));

public sealed class HubRateLimitTests(HubLimitsApp app) : IClassFixture<HubLimitsApp>
{
    private const string Limited = "You are being ratelimited only 3 request are allowed per 60 seconds";

    [Fact]
    public async Task Typing_over_its_limit_answers_error_with_the_seed_message_and_keeps_the_connection()
    {
        var customer = Unique.Customer();
        var ticket = await app.ClientFor(customer).CreateTicket();
        await using var hub = await HubClient.AuthorizedAsync(app, customer);
        for (var i = 0; i < 3; i++) await hub.InvokeAsync("typing", ticket.Str("id"));
        Assert.DoesNotContain(hub.Pending(), e => e.Name == "error");

        await hub.InvokeAsync("typing", ticket.Str("id"));

        Assert.Equal(Limited, (await hub.NextEventAsync("error")).Payload.Str("message"));
        await hub.InvokeAsync("unsubscribe", ticket.Str("id"));
        Assert.False(hub.Closed.IsCompleted);
        Assert.DoesNotContain(hub.Pending(), e => e.Name == "error");
    }

    [Fact]
    public async Task Subscribe_and_unsubscribe_share_one_limit()
    {
        var agent = Unique.Agent();
        var ticket = await app.ClientFor(Unique.Customer()).CreateTicket();
        await using var hub = await HubClient.AuthorizedAsync(app, agent);
        await hub.InvokeAsync("subscribe", ticket.Str("id"));
        await hub.InvokeAsync("unsubscribe", ticket.Str("id"));
        await hub.InvokeAsync("subscribe", ticket.Str("id"));

        await hub.InvokeAsync("unsubscribe", ticket.Str("id"));

        Assert.Equal(Limited, (await hub.NextEventAsync("error")).Payload.Str("message"));
    }

    [Fact]
    public async Task One_user_over_the_typing_limit_does_not_limit_another()
    {
        var noisy = Unique.Customer();
        var quiet = Unique.Customer();
        var noisyTicket = await app.ClientFor(noisy).CreateTicket();
        var quietTicket = await app.ClientFor(quiet).CreateTicket();
        await using var noisyHub = await HubClient.AuthorizedAsync(app, noisy);
        await using var quietHub = await HubClient.AuthorizedAsync(app, quiet);
        for (var i = 0; i < 4; i++) await noisyHub.InvokeAsync("typing", noisyTicket.Str("id"));
        await noisyHub.NextEventAsync("error");

        for (var i = 0; i < 3; i++) await quietHub.InvokeAsync("typing", quietTicket.Str("id"));

        Assert.DoesNotContain(quietHub.Pending(), e => e.Name == "error");
    }

    [Fact]
    public async Task A_third_connection_of_one_user_is_told_why_and_closed()
    {
        var customer = Unique.Customer();
        await using var first = await HubClient.AuthorizedAsync(app, customer);
        await using var second = await HubClient.AuthorizedAsync(app, customer);
        await using var third = await HubClient.ConnectAsync(app);

        // The server closes the connection right after the error, so the call may never complete.
        var call = third.InvokeAsync("authorize", new { token = Tokens.For(customer) });

        Assert.Equal("Too many connections: at most 2 hub connections per user are allowed",
            (await third.NextEventAsync("error")).Payload.Str("message"));
        await third.Closed.WaitAsync(HubClient.DefaultTimeout);
        await Task.WhenAny(call);
        Assert.False(first.Closed.IsCompleted || second.Closed.IsCompleted);
    }

    [Fact]
    public async Task Connections_with_a_token_in_the_query_count_toward_the_cap()
    {
        var customer = Unique.Customer();
        await using var first = await HubClient.ConnectAsync(app, Tokens.For(customer));
        await using var second = await HubClient.ConnectAsync(app, Tokens.For(customer));
        // The handshake answers before the server's OnConnected has counted the connection; wait until both are,
        // or the third may overtake the second and the second is the one refused (this flaked ~1 in 4 on main too).
        await first.NextEventAsync("authorized");
        await second.NextEventAsync("authorized");

        await using var third = await HubClient.ConnectAsync(app, Tokens.For(customer));

        await third.Closed.WaitAsync(HubClient.DefaultTimeout);
        // The official client may run the handler of the last event just after it reports the close.
        Assert.True(await Eventually.Until(() => Task.FromResult(third.Pending().Any(e => e.Name == "error" && e.Payload.Str("message").StartsWith("Too many connections"))),
            TimeSpan.FromSeconds(5)), "no error event before the close");
    }

    [Fact]
    public async Task A_closed_connection_frees_its_place_under_the_cap()
    {
        var customer = Unique.Customer();
        await using var first = await HubClient.AuthorizedAsync(app, customer);
        var second = await HubClient.AuthorizedAsync(app, customer);
        await second.DisposeAsync();

        // The server notices the close asynchronously; until it has, a new connection is refused and closed.
        var admitted = await Eventually.Until(async () =>
        {
            await using var next = await HubClient.ConnectAsync(app);
            try
            {
                await next.InvokeAsync("authorize", new { token = Tokens.For(customer) });
            }
            catch (InvalidOperationException)
            {
                return false; // closed: still over the cap
            }
            return !next.Closed.IsCompleted && (await next.NextEventAsync()).Name == "authorized" && !next.Pending().Any(e => e.Name == "error");
        }, TimeSpan.FromSeconds(10));

        Assert.True(admitted);
    }

    [Fact]
    public async Task Another_user_can_connect_while_one_is_at_the_cap()
    {
        var busy = Unique.Customer();
        await using var first = await HubClient.AuthorizedAsync(app, busy);
        await using var second = await HubClient.AuthorizedAsync(app, busy);

        await using var other = await HubClient.AuthorizedAsync(app, Unique.Customer());

        Assert.False(other.Closed.IsCompleted);
    }
}

public sealed class HubAuthorizeLimitTests
{
    [Fact]
    public async Task Authorize_attempts_over_the_limit_per_ip_answer_error_without_authorizing()
    {
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new() { ["RateLimits:Policies:HubAuthorize:PermitLimit"] = "2" }));
        await using var hub = await HubClient.ConnectAsync(app);
        var customer = Unique.Customer();
        for (var i = 0; i < 2; i++)
        {
            await hub.InvokeAsync("authorize", new { token = Tokens.For(customer) });
            await hub.NextEventAsync("authorized");
        }

        await hub.InvokeAsync("authorize", new { token = Tokens.For(customer) });

        Assert.Equal("You are being ratelimited only 2 request are allowed per 60 seconds", (await hub.NextEventAsync()).Payload.Str("message"));
        Assert.False(hub.Closed.IsCompleted);
    }
}
