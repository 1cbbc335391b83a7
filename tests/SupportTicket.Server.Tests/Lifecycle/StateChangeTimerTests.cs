using System.Text.Json;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

/// <summary>NORMAL: first response 60 min, next 30 min, auto-close 72 h; URGENT: 15 min, 10 min, auto-close 48 h.</summary>
public class LevelSlaApp(Store store) : LifecycleApp(store, new Dictionary<string, string?>
{
    ["Sla:Levels:URGENT:FirstResponseMinutes"] = "15",
    ["Sla:Levels:URGENT:NextResponseMinutes"] = "10",
    ["Lifecycle:Levels:URGENT:AutoCloseAfterHours"] = "48",
});

public sealed class SqliteLevelSlaApp() : LevelSlaApp(Store.Sqlite);

public sealed class PostgresLevelSlaApp() : LevelSlaApp(Store.Postgres);

public sealed class SqliteStateChangeTimerTests(SqliteLevelSlaApp app) : StateChangeTimerTests(app), IClassFixture<SqliteLevelSlaApp>;

public sealed class PostgresStateChangeTimerTests(PostgresLevelSlaApp app) : StateChangeTimerTests(app), IClassFixture<PostgresLevelSlaApp>;

/// <summary>A change of level or status keeps the running timers true (TicketTimers.OnChange), on both stores.</summary>
public abstract class StateChangeTimerTests(LevelSlaApp app)
{
    private static long? Sla(JsonElement ticket, string name) =>
        ticket.GetProperty("sla").GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;

    private static long? AutoClose(JsonElement ticket) =>
        ticket.GetProperty("auto_close_at") is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;

    [Fact]
    public async Task Raising_the_level_counts_the_first_response_deadline_of_the_new_level_from_the_tickets_creation()
    {
        var created = await app.As(Unique.Customer()).CreateTicket();
        var id = created.Str("id");
        var createdAt = created.GetProperty("created_at").GetInt64();
        app.Clock.Advance(TimeSpan.FromMinutes(20));

        await app.As(Unique.Agent()).PatchJson($"/api/v1/tickets/{id}", new { issue_level = "URGENT" });

        Assert.Equal(createdAt + 15 * 60, Sla(await app.TicketAsync(id), "first_response_due_at"));
        await app.RoundAsync();
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.sla_breached");
    }

    [Fact]
    public async Task Raising_the_level_counts_the_next_response_deadline_from_the_first_unanswered_customer_message()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        var agent = app.As(Unique.Agent());
        await agent.PostMessage(id, "What version?");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.As(customer).PostMessage(id, "2.1");
        var asked = app.Now;
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.As(customer).PostMessage(id, "on Linux");
        app.Clock.Advance(TimeSpan.FromMinutes(3));

        await agent.PatchJson($"/api/v1/tickets/{id}", new { issue_level = "URGENT" });

        Assert.Equal(asked + 10 * 60, Sla(await app.TicketAsync(id), "next_response_due_at"));
    }

    [Fact]
    public async Task A_missed_deadline_is_not_started_again_by_a_level_change()
    {
        var id = (await app.As(Unique.Customer()).CreateTicket()).Str("id");
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await app.RoundAsync();

        await app.As(Unique.Agent()).PatchJson($"/api/v1/tickets/{id}", new { issue_level = "URGENT" });
        await app.RoundAsync();

        Assert.Null(Sla(await app.TicketAsync(id), "first_response_due_at"));
        Assert.Single(await app.EventTypesAsync(id), t => t == "ticket.sla_breached");
    }

    [Fact]
    public async Task A_level_change_moves_auto_close_to_the_new_levels_hours_from_when_it_was_armed()
    {
        var id = (await app.As(Unique.Customer()).CreateTicket()).Str("id");
        var agent = app.As(Unique.Agent());
        await agent.PatchJson($"/api/v1/tickets/{id}", new { status = "WAITING" });
        var armed = app.Now;
        app.Clock.Advance(TimeSpan.FromHours(1));

        await agent.PatchJson($"/api/v1/tickets/{id}", new { issue_level = "URGENT" });

        Assert.Equal(armed + 48 * 3600, AutoClose(await app.TicketAsync(id)));
    }

    [Fact]
    public async Task Leaving_waiting_disarms_auto_close()
    {
        var id = (await app.As(Unique.Customer()).CreateTicket()).Str("id");
        var agent = app.As(Unique.Agent());
        await agent.PatchJson($"/api/v1/tickets/{id}", new { status = "WAITING" });
        Assert.NotNull(AutoClose(await app.TicketAsync(id)));

        await agent.PatchJson($"/api/v1/tickets/{id}", new { status = "OPEN" });
        Assert.Null(AutoClose(await app.TicketAsync(id)));
        app.Clock.Advance(TimeSpan.FromHours(80));
        await app.RoundAsync();

        Assert.Equal("OPEN", (await app.TicketAsync(id)).Str("status"));
        Assert.DoesNotContain(await app.MessagesAsync(id), m => m.StartsWith("This ticket will be closed"));
    }

    [Fact]
    public async Task A_customer_answer_takes_a_waiting_ticket_back_to_its_agent_and_waiting_again_arms_anew()
    {
        var customer = Unique.Customer();
        var id = (await app.As(customer).CreateTicket()).Str("id");
        var agent = Unique.Agent();
        await app.As(agent).PatchJson($"/api/v1/tickets/{id}", new { assignee_id = agent.Id, status = "WAITING" });

        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.As(customer).PostMessage(id, "Here are the logs");
        var answered = await app.TicketAsync(id);
        Assert.Equal("IN_PROGRESS", answered.Str("status"));
        Assert.Null(AutoClose(answered));
        Assert.Contains("ticket.updated", await app.EventTypesAsync(id));

        await app.As(agent).PatchJson($"/api/v1/tickets/{id}", new { status = "WAITING" });
        Assert.Equal(app.Now + 72 * 3600, AutoClose(await app.TicketAsync(id)));
    }
}
