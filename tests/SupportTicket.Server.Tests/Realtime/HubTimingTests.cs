using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>A short authorize timeout, so the close shows within seconds.</summary>
public sealed class ShortAuthorizeTimeoutApp() : TestApp(Store.Sqlite, new Dictionary<string, string?>
{
    ["Realtime:AuthorizeTimeoutSeconds"] = "2", ["Auth:ClockSkewSeconds"] = "0",
});

/// <summary>No clock skew, so a token minted for a few seconds expires after those seconds.</summary>
public sealed class NoClockSkewApp() : TestApp(Store.Sqlite, new Dictionary<string, string?> { ["Auth:ClockSkewSeconds"] = "0" });

public sealed class HubAuthorizeTimeoutTests(ShortAuthorizeTimeoutApp app) : IClassFixture<ShortAuthorizeTimeoutApp>
{
    [Fact]
    public async Task Connection_that_never_authorizes_is_closed_after_the_timeout()
    {
        await using var hub = await HubClient.ConnectAsync(app);

        var closed = await Task.WhenAny(hub.Closed, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(hub.Closed, closed);
    }

    [Fact]
    public async Task Connection_whose_token_expired_is_closed_after_the_authorize_timeout()
    {
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = Tokens.Mint(Tokens.Claims(Unique.Customer()), TimeSpan.FromSeconds(3)) });
        await hub.NextEventAsync("authorized");

        Assert.Contains("expired", (await hub.NextEventAsync("error", TimeSpan.FromSeconds(15))).Payload.Str("message"));
        var closed = await Task.WhenAny(hub.Closed, Task.Delay(TimeSpan.FromSeconds(15)));

        Assert.Same(hub.Closed, closed);
    }

    [Fact]
    public async Task Connection_that_authorized_in_time_stays_open_past_the_timeout()
    {
        var owner = Unique.Customer();
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        await using var hub = await HubClient.AuthorizedAsync(app, owner);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await app.ClientFor(owner).PostMessage(ticketId, "Still here");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
        Assert.False(hub.Closed.IsCompleted);
    }
}

public sealed class HubTokenExpiryTests(NoClockSkewApp app) : IClassFixture<NoClockSkewApp>
{
    [Fact]
    public async Task Connection_whose_token_expired_is_told_with_error_and_receives_nothing_until_it_authorizes_again()
    {
        var owner = Unique.Customer();
        var rest = app.ClientFor(owner);
        var ticketId = (await rest.CreateTicket()).Str("id");
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = Tokens.Mint(Tokens.Claims(owner), TimeSpan.FromSeconds(3)) });
        await hub.NextEventAsync("authorized");

        var expired = await hub.NextEventAsync(timeout: TimeSpan.FromSeconds(15));
        await rest.PostMessage(ticketId, "While expired");
        await hub.InvokeAsync("authorize", new { token = Tokens.For(owner) });
        await hub.NextEventAsync("authorized");
        await rest.PostMessage(ticketId, "After re-authorizing");

        Assert.Equal("error", expired.Name);
        Assert.Contains("expired", expired.Payload.Str("message"));
        Assert.Equal(2L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }
}

public sealed class HubTokenRefreshTests(NoClockSkewApp app) : IClassFixture<NoClockSkewApp>
{
    [Fact]
    public async Task Staff_re_authorizing_after_expiry_keep_their_subscriptions()
    {
        var agent = Unique.Agent();
        var owner = Unique.Customer();
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = Tokens.Mint(Tokens.Claims(agent), TimeSpan.FromSeconds(3)) });
        await hub.InvokeAsync("subscribe", ticketId);
        var expired = await hub.NextEventAsync("error", TimeSpan.FromSeconds(15));
        Assert.Contains("expired", expired.Payload.Str("message"));

        await hub.InvokeAsync("authorize", new { token = Tokens.For(agent) });
        await app.ClientFor(owner).PostMessage(ticketId, "Back again");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }
}
