using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>Short authorize timeout and no clock skew, so the timing rules show within seconds.</summary>
public sealed class TimingApp() : TestApp(Store.Sqlite, new Dictionary<string, string?>
{
    ["Realtime:AuthorizeTimeoutSeconds"] = "1",
    ["Auth:ClockSkewSeconds"] = "0",
});

public sealed class HubAuthorizeTimeoutTests(TimingApp app) : IClassFixture<TimingApp>
{
    [Fact]
    public async Task Connection_that_never_authorizes_is_closed_after_the_timeout()
    {
        await using var hub = await HubClient.ConnectAsync(app);

        var closed = await Task.WhenAny(hub.Closed, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(hub.Closed, closed);
    }

    [Fact]
    public async Task Connection_that_authorized_in_time_stays_open_past_the_timeout()
    {
        var owner = Unique.Customer();
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        await using var hub = await HubClient.AuthorizedAsync(app, owner);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await app.ClientFor(owner).PostMessage(ticketId, "Still here");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
        Assert.False(hub.Closed.IsCompleted);
    }
}

public sealed class HubTokenExpiryTests(TimingApp app) : IClassFixture<TimingApp>
{
    [Fact]
    public async Task Connection_whose_token_expired_is_told_with_error_and_receives_nothing_until_it_authorizes_again()
    {
        var owner = Unique.Customer();
        var rest = app.ClientFor(owner);
        var ticketId = (await rest.CreateTicket()).Str("id");
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = Tokens.Mint(Tokens.Claims(owner), TimeSpan.FromSeconds(2)) });
        await hub.NextEventAsync("authorized");

        var expired = await hub.NextEventAsync(timeout: TimeSpan.FromSeconds(10));
        await rest.PostMessage(ticketId, "While expired");
        await hub.InvokeAsync("authorize", new { token = Tokens.For(owner) });
        await hub.NextEventAsync("authorized");
        await rest.PostMessage(ticketId, "After re-authorizing");

        Assert.Equal("error", expired.Name);
        Assert.Contains("expired", expired.Payload.Str("message"));
        Assert.Equal(2L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }
}

public sealed class HubTokenRefreshTests(TimingApp app) : IClassFixture<TimingApp>
{
    [Fact]
    public async Task Staff_re_authorizing_after_expiry_keep_their_subscriptions()
    {
        var agent = Unique.Agent();
        var owner = Unique.Customer();
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = Tokens.Mint(Tokens.Claims(agent), TimeSpan.FromSeconds(2)) });
        await hub.InvokeAsync("subscribe", ticketId);
        await hub.NextEventAsync("error", TimeSpan.FromSeconds(10));

        await hub.InvokeAsync("authorize", new { token = Tokens.For(agent) });
        await app.ClientFor(owner).PostMessage(ticketId, "Back again");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }
}
