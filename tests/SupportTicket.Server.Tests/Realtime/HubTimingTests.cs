using Microsoft.AspNetCore.SignalR;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>No clock skew, so a token expires exactly at its exp on the test's clock.</summary>
public sealed class HubClockApp() : FakeClockApp(new Dictionary<string, string?>
{
    ["Realtime:AuthorizeTimeoutSeconds"] = HubTimingTests.AuthorizeTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Auth:ClockSkewSeconds"] = "0",
});

/// <summary>
/// The hub's timers on a clock the test moves (<see cref="FakeClockApp"/>): each wait is for an event or the close,
/// never for seconds to pass.
/// </summary>
public sealed class HubTimingTests(HubClockApp app) : IClassFixture<HubClockApp>
{
    public static readonly TimeSpan AuthorizeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>The default Realtime:TypingThrottleSeconds.</summary>
    private static readonly TimeSpan TypingWindow = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Connection_that_never_authorizes_is_closed_after_the_timeout_and_not_before()
    {
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.ReadyAsync();

        app.Clock.Advance(AuthorizeTimeout - Tick);
        await AssertOpenAsync(hub);
        app.Clock.Advance(Tick);

        await hub.Closed.WaitAsync(HubClient.DefaultTimeout);
    }

    [Fact]
    public async Task Connection_that_authorized_in_time_stays_open_past_the_timeout()
    {
        var (owner, ticketId) = await OwnedTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, owner);

        app.Clock.Advance(AuthorizeTimeout + Tick);
        await app.ClientFor(owner).PostMessage(ticketId, "Still here");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
        await AssertOpenAsync(hub);
    }

    [Fact]
    public async Task Connection_whose_token_expired_is_closed_after_the_authorize_timeout()
    {
        await using var session = await AuthorizedForAMinuteAsync(Unique.Customer());
        var (hub, expiresAt) = session;

        app.Clock.SetUtcNow(expiresAt + Tick);
        Assert.Contains("expired", (await hub.NextEventAsync("error")).Payload.Str("message"));
        app.Clock.Advance(AuthorizeTimeout - Tick);
        await AssertOpenAsync(hub);
        app.Clock.Advance(Tick);

        await hub.Closed.WaitAsync(HubClient.DefaultTimeout);
    }

    [Fact]
    public async Task Token_is_not_expired_a_second_before_its_exp()
    {
        var (owner, ticketId) = await OwnedTicketAsync();
        await using var session = await AuthorizedForAMinuteAsync(owner);
        var (hub, expiresAt) = session;

        app.Clock.SetUtcNow(expiresAt - Tick);
        await app.ClientFor(owner).PostMessage(ticketId, "Just in time");

        Assert.Equal("message", (await hub.NextEventForAsync(ticketId)).Name);
    }

    [Fact]
    public async Task Token_past_its_exp_on_the_server_clock_is_refused_at_authorize_and_by_rest()
    {
        var owner = Unique.Customer();
        var (token, expiresAt) = app.TokenExpiringIn(owner, TimeSpan.FromMinutes(1));
        app.Clock.SetUtcNow(expiresAt + Tick);
        await using var hub = await HubClient.ConnectAsync(app);

        await hub.InvokeAsync("authorize", new { token });
        var reply = await hub.NextEventAsync();
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var rest = await client.GetAsync("/api/v1/tickets");

        Assert.Equal(("error", "Token has expired"), (reply.Name, reply.Payload.Str("message")));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, rest.StatusCode);
    }

    [Fact]
    public async Task Connection_whose_token_expired_is_told_with_error_and_receives_nothing_until_it_authorizes_again()
    {
        var (owner, ticketId) = await OwnedTicketAsync();
        var rest = app.ClientFor(owner);
        await using var session = await AuthorizedForAMinuteAsync(owner);
        var (hub, expiresAt) = session;

        app.Clock.SetUtcNow(expiresAt + Tick);
        var expired = await hub.NextEventAsync();
        await rest.PostMessage(ticketId, "While expired");
        await hub.InvokeAsync("authorize", new { token = Tokens.For(owner) });
        await hub.NextEventAsync("authorized");
        await rest.PostMessage(ticketId, "After re-authorizing");

        Assert.Equal("error", expired.Name);
        Assert.Contains("expired", expired.Payload.Str("message"));
        Assert.Equal(2L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    [Fact]
    public async Task Staff_re_authorizing_after_expiry_keep_their_subscriptions()
    {
        var agent = Unique.Agent();
        var (owner, ticketId) = await OwnedTicketAsync();
        await using var session = await AuthorizedForAMinuteAsync(agent);
        var (hub, expiresAt) = session;
        await hub.InvokeAsync("subscribe", ticketId);
        app.Clock.SetUtcNow(expiresAt + Tick);
        var expired = await hub.NextEventAsync("error");
        Assert.Contains("expired", expired.Payload.Str("message"));

        await hub.InvokeAsync("authorize", new { token = Tokens.For(agent) });
        await app.ClientFor(owner).PostMessage(ticketId, "Back again");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    [Fact]
    public async Task Typing_is_relayed_again_once_the_throttle_window_has_passed()
    {
        var (owner, ticketId) = await OwnedTicketAsync();
        await using var agentHub = await HubClient.AuthorizedAsync(app, Unique.Agent());
        await agentHub.InvokeAsync("subscribe", ticketId);
        await using var ownerHub = await HubClient.AuthorizedAsync(app, owner);

        await ownerHub.InvokeAsync("typing", ticketId);
        app.Clock.Advance(TypingWindow - Tick / 10);
        await ownerHub.InvokeAsync("typing", ticketId);
        app.Clock.Advance(Tick / 10);
        await ownerHub.InvokeAsync("typing", ticketId);
        await app.ClientFor(owner).PostMessage(ticketId, "Done typing");

        Assert.Equal("typing", (await agentHub.NextEventForAsync(ticketId)).Name);
        Assert.Equal("typing", (await agentHub.NextEventForAsync(ticketId)).Name);
        Assert.Equal("message", (await agentHub.NextEventForAsync(ticketId)).Name);
    }

    private async Task<(TestUser Owner, string TicketId)> OwnedTicketAsync()
    {
        var owner = Unique.Customer();
        return (owner, (await app.ClientFor(owner).CreateTicket()).Str("id"));
    }

    // Authorized with a token that expires a minute from now on the test's clock.
    private async Task<ExpiringSession> AuthorizedForAMinuteAsync(TestUser user)
    {
        var hub = await HubClient.ConnectAsync(app);
        var (token, expiresAt) = app.TokenExpiringIn(user, TimeSpan.FromMinutes(1));
        await hub.InvokeAsync("authorize", new { token });
        await hub.NextEventAsync("authorized");
        return new(hub, expiresAt);
    }

    private sealed record ExpiringSession(HubClient Hub, DateTimeOffset ExpiresAt) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Hub.DisposeAsync();
    }

    /// <summary>
    /// A round trip as the barrier: the server answers an unknown method with a hub error on an open connection,
    /// and a connection it already aborted fails the call instead.
    /// </summary>
    private static async Task AssertOpenAsync(HubClient hub)
    {
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("__still_open"));
        Assert.False(hub.Closed.IsCompleted);
    }
}
