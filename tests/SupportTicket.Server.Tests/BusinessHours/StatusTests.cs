using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.BusinessHours;

public sealed class StatusApp() : FakeClockApp(new Dictionary<string, string?>
{
    ["BusinessHours:TimeZone"] = "Etc/UTC",
    ["BusinessHours:Weekly:Monday"] = "09:00-17:00",
    ["BusinessHours:Weekly:Tuesday"] = "09:00-17:00",
    ["BusinessHours:Weekly:Wednesday"] = "09:00-17:00",
    ["BusinessHours:Weekly:Thursday"] = "09:00-17:00",
    ["BusinessHours:Weekly:Friday"] = "09:00-17:00",
    ["BusinessHours:ClosedMessage"] = "Back {next_open}",
    // The clock runs weeks ahead of the real one the tokens are minted on.
    ["Auth:MaxTokenLifetimeSeconds"] = "31536000",
});

/// <summary>Mon-Fri 09:00-17:00 UTC. Each test moves the clock forward to a day of a later week.</summary>
public sealed class StatusTests(StatusApp app) : IClassFixture<StatusApp>
{
    /// <summary>The Monday at least a week after the app's clock, at 00:00 UTC.</summary>
    private DateTimeOffset NextMonday()
    {
        var day = app.Clock.GetUtcNow().UtcDateTime.Date.AddDays(7);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        return new DateTimeOffset(day, TimeSpan.Zero);
    }

    [Fact]
    public async Task Status_is_public_and_says_when_the_team_is_back()
    {
        var monday = NextMonday();
        app.Clock.SetUtcNow(monday.AddDays(5).AddHours(12)); // Saturday noon

        var response = await app.Anonymous().GetAsync("/api/v1/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var closed = await response.Body();
        Assert.False(closed.GetProperty("open").GetBoolean());
        Assert.Equal(monday.AddDays(7).AddHours(9).ToUnixTimeSeconds(), closed.GetProperty("next_open_at").GetInt64());
        Assert.Equal("Back Mon 09:00", closed.Str("message"));

        app.Clock.SetUtcNow(monday.AddDays(7).AddHours(10));
        var open = await (await app.Anonymous().GetAsync("/api/v1/status")).Body();
        Assert.True(open.GetProperty("open").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, open.GetProperty("next_open_at").ValueKind);
    }

    [Fact]
    public async Task The_hub_sends_status_when_the_team_opens()
    {
        var opening = NextMonday().AddHours(9);
        app.Clock.SetUtcNow(opening.AddMinutes(-1));
        await using var hub = await HubClient.ConnectAsync(app);
        var (token, _) = app.TokenExpiringIn(Unique.Customer(), TimeSpan.FromHours(1));
        await hub.InvokeAsync("authorize", new { token });
        await hub.NextEventAsync("authorized");

        app.Clock.Advance(TimeSpan.FromMinutes(1));

        // A "closed" status may come first: the broadcaster also woke when the clock jumped to 08:59.
        while (true)
        {
            var status = await hub.NextEventAsync("status");
            if (!status.Payload.GetProperty("open").GetBoolean()) continue;
            Assert.Equal(System.Text.Json.JsonValueKind.Null, status.Payload.GetProperty("next_open_at").ValueKind);
            break;
        }
    }
}
