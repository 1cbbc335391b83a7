using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

/// <summary>Default auto-close: 72 h after the ticket starts waiting on its customer, with a warning 24 h before.</summary>
public sealed class AutoCloseTests(SqliteLifecycleApp app) : IClassFixture<SqliteLifecycleApp>
{
    private const string Warning = "This ticket will be closed for inactivity";

    [Fact]
    public async Task A_ticket_waiting_on_its_customer_is_warned_once_then_closed_as_inactive()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await app.As(Unique.Agent()).PostMessage(id, "Please try again and tell me");
        var replied = app.Now;
        Assert.Equal(replied + 72 * 3600, (await app.TicketAsync(id, customer)).GetProperty("auto_close_at").GetInt64());
        await using var hub = await HubClient.ConnectAsync(app);
        await hub.InvokeAsync("authorize", new { token = app.TokenExpiringIn(customer, TimeSpan.FromDays(5)).Token });
        await hub.NextEventAsync("authorized");

        app.Clock.Advance(TimeSpan.FromHours(48) - TimeSpan.FromSeconds(1));
        await app.RoundAsync();
        Assert.DoesNotContain(await app.MessagesAsync(id), m => m.StartsWith(Warning));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(app.RoundAsync(), app.RoundAsync());
        await app.RoundAsync();

        Assert.Single(await app.MessagesAsync(id), m => m.StartsWith(Warning));
        Assert.StartsWith(Warning, (await hub.NextEventForAsync(id, "message")).Payload.Str("content"));
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.auto_close_warning");
        Assert.Equal("OPEN", (await app.TicketAsync(id)).Str("status"));

        app.Clock.Advance(TimeSpan.FromHours(24));
        await Task.WhenAll(app.RoundAsync(), app.RoundAsync());

        var closed = await app.TicketAsync(id);
        Assert.Equal("CLOSED", closed.Str("status"));
        Assert.Equal("inactive", closed.Str("close_reason"));
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.closed");
        Assert.Equal(id, (await hub.NextEventForAsync(id, "ticket_closed")).TicketId);
    }

    [Fact]
    public async Task A_customer_message_cancels_the_warning_and_the_close()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        await app.As(Unique.Agent()).PostMessage(id, "Does it work now?");
        app.Clock.Advance(TimeSpan.FromHours(10));
        await app.As(customer).PostMessage(id, "Not yet, checking");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await app.TicketAsync(id)).GetProperty("auto_close_at").ValueKind);

        app.Clock.Advance(TimeSpan.FromHours(80));
        await app.RoundAsync();

        Assert.Equal("OPEN", (await app.TicketAsync(id)).Str("status"));
        Assert.DoesNotContain(await app.MessagesAsync(id), m => m.StartsWith(Warning));
    }

    [Fact]
    public async Task Setting_a_ticket_to_waiting_arms_auto_close_and_an_internal_note_does_not()
    {
        var id = (await app.As(Unique.Customer()).CreateTicket()).Str("id");
        var agent = app.As(Unique.Agent());
        await agent.PostMessage(id, "note to self", @internal: true);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await app.TicketAsync(id)).GetProperty("auto_close_at").ValueKind);

        await agent.PatchJson($"/api/v1/tickets/{id}", new { status = "WAITING" });

        Assert.Equal(app.Now + 72 * 3600, (await app.TicketAsync(id)).GetProperty("auto_close_at").GetInt64());
    }
}

public sealed class AutoCloseRestartTests
{
    [Fact]
    public async Task A_restart_between_warning_and_close_still_closes_once_and_warns_once()
    {
        var customer = Unique.Customer();
        string id, databaseUrl;
        DateTimeOffset warnedAt;
        using (var first = new LifecycleApp { KeepDatabase = true })
        {
            databaseUrl = first.DatabaseUrl;
            id = (await first.As(customer).CreateTicket()).Str("id");
            await first.As(Unique.Agent()).PostMessage(id, "Try this");
            first.Clock.Advance(TimeSpan.FromHours(48));
            await first.RoundAsync();
            Assert.Single(await first.MessagesAsync(id), m => m.StartsWith("This ticket will be closed"));
            warnedAt = first.Clock.GetUtcNow();
        }

        using var second = new LifecycleApp(extra: new Dictionary<string, string?> { ["Storage:DatabaseUrl"] = databaseUrl });
        second.Clock.SetUtcNow(warnedAt);
        await second.RoundAsync(); // the warning is not sent again
        second.Clock.Advance(TimeSpan.FromHours(24));
        await second.RoundAsync();
        await second.RoundAsync();

        Assert.Equal("inactive", (await second.TicketAsync(id)).Str("close_reason"));
        Assert.Single(await second.MessagesAsync(id), m => m.StartsWith("This ticket will be closed"));
        var events = await second.EventTypesAsync(id);
        Assert.Single(events, t => t == "ticket.closed");
        Assert.Single(events, t => t == "ticket.auto_close_warning");
    }
}
