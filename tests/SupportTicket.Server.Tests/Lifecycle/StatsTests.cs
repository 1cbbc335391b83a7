using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

public sealed class StatsTests(SqliteLifecycleApp app) : IClassFixture<SqliteLifecycleApp>
{
    [Fact]
    public async Task Stats_count_a_period_with_response_times_breaches_and_csat_per_agent()
    {
        var agent = Unique.Agent();
        var from = app.Now;
        var response = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var customer = Unique.Customer();
            var id = (await app.As(customer).CreateTicket()).Str("id");
            await app.As(agent).PatchJson($"/api/v1/tickets/{id}", new { assignee_id = agent.Id });
            app.Clock.Advance(TimeSpan.FromMinutes(10 * (i + 1)));
            if (i < 2) await app.As(agent).PostMessage(id, "On it");
            else
            {
                app.Clock.Advance(TimeSpan.FromMinutes(60));
                await app.RoundAsync(); // ticket 3 misses its first response
            }
            await app.As(customer).PostJson($"/api/v1/tickets/{id}/close", new { });
            await app.As(customer).PostJson($"/api/v1/tickets/{id}/rating", new { score = 3 + i });
        }
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var stats = await (await app.As(agent).GetAsync($"/api/v1/admin/stats?from={from}&to={app.Now}&agent_id={agent.Id}")).Body();

        Assert.Equal(3, stats.GetProperty("opened").GetInt32());
        Assert.Equal(3, stats.GetProperty("closed").GetInt32());
        var first = stats.GetProperty("first_response");
        Assert.Equal(2, first.GetProperty("count").GetInt32());
        Assert.Equal(600, first.GetProperty("p50_seconds").GetInt64());
        Assert.Equal(1200, first.GetProperty("p90_seconds").GetInt64());
        Assert.Equal(1, stats.GetProperty("sla_breaches").GetInt32());
        Assert.Equal(4.0, stats.GetProperty("csat").GetProperty("average").GetDouble());
        Assert.Equal(3, stats.GetProperty("csat").GetProperty("count").GetInt32());
        var mine = Assert.Single(stats.GetProperty("agents").EnumerateArray());
        Assert.Equal(agent.Id, mine.Str("agent_id"));
        Assert.Equal(3, mine.GetProperty("closed").GetInt32());
    }

    [Fact]
    public async Task The_default_window_counts_a_ticket_opened_this_second_and_both_ends_are_included()
    {
        var agent = Unique.Agent();
        var created = await app.As(Unique.Customer()).CreateTicket();
        var at = created.GetProperty("created_at").GetInt64();
        await app.As(agent).PatchJson($"/api/v1/tickets/{created.Str("id")}", new { assignee_id = agent.Id });

        async Task<int> OpenedAsync(string query) =>
            (await (await app.As(agent).GetAsync($"/api/v1/admin/stats?agent_id={agent.Id}{query}")).Body()).GetProperty("opened").GetInt32();

        Assert.Equal(1, await OpenedAsync(""));
        Assert.Equal(1, await OpenedAsync($"&from={at}&to={at}"));
        Assert.Equal(0, await OpenedAsync($"&from={at - 60}&to={at - 1}"));
    }

    [Fact]
    public async Task Customers_may_not_read_stats_and_a_bad_query_is_a_400()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(Unique.Customer()).GetAsync("/api/v1/admin/stats")).StatusCode);
        var bad = await app.As(Unique.Admin()).GetAsync("/api/v1/admin/stats?level=HUGE&from=10&to=5");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var locations = (await bad.Body()).GetProperty("errors").EnumerateArray().Select(e => e.Str("location")).ToList();
        Assert.Contains("level", locations);
        Assert.Contains("from", locations);
    }
}
