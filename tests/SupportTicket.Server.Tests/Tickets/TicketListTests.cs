using System.Net;
using System.Text.RegularExpressions;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Tickets;

public abstract partial class TicketListTests(TestApp app)
{
    [GeneratedRegex("<([^>]+)>; rel=\"next\"")]
    private static partial Regex NextLink();

    [Fact]
    public async Task Pages_follow_the_link_header_newest_first_without_gaps_or_repeats()
    {
        var customer = app.ClientFor(Unique.Customer());
        var created = new List<string>();
        for (var i = 0; i < 7; i++) created.Add((await customer.CreateTicket($"ticket {i}")).Str("id"));

        var seen = new List<string>();
        string? url = "/api/v1/tickets?limit=3";
        var pages = 0;
        while (url is not null)
        {
            var response = await customer.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange((await response.Body()).EnumerateArray().Select(t => t.Str("id")));
            url = response.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups[1].Value : null;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task Last_page_has_no_link()
    {
        var customer = app.ClientFor(Unique.Customer());
        await customer.CreateTicket();
        var response = await customer.GetAsync("/api/v1/tickets?limit=5");
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Staff_filter_by_status_issue_level_and_assignee()
    {
        var owner = Unique.Customer();
        var customer = app.ClientFor(owner);
        var agent = app.ClientFor(Unique.Agent());
        var urgent = (await customer.CreateTicket("urgent one", "URGENT")).Str("id");
        var assigned = (await customer.CreateTicket("assigned one")).Str("id");
        var closed = (await customer.CreateTicket("closed one")).Str("id");
        await agent.PatchJson($"/api/v1/tickets/{assigned}", new { assignee_id = "agent-x" });
        await agent.PostAsync($"/api/v1/tickets/{closed}/close", null);

        async Task<List<string>> Ids(string query) =>
            (await (await agent.GetAsync($"/api/v1/tickets?user_id={owner.Id}&{query}")).Body()).EnumerateArray().Select(t => t.Str("id")).ToList();

        Assert.Equal([urgent], await Ids("issue_level=URGENT"));
        Assert.Equal([assigned], await Ids("assignee_id=agent-x"));
        Assert.Equal([closed], await Ids("status=CLOSED"));
        Assert.Equal([assigned, urgent], await Ids("status=OPEN,IN_PROGRESS"));
        Assert.Equal([closed, urgent], await Ids("assignee_id=none"));
    }

    [Fact]
    public async Task Search_finds_by_words_number_and_id()
    {
        var customer = app.ClientFor(Unique.Customer());
        var word = Unique.Id("Zebra");
        var byWord = await customer.CreateTicket($"Printer {word} jammed");
        var other = await customer.CreateTicket("Something else");

        async Task<List<string>> Ids(string q) =>
            (await (await customer.GetAsync($"/api/v1/tickets?q={Uri.EscapeDataString(q)}")).Body()).EnumerateArray().Select(t => t.Str("id")).ToList();

        Assert.Equal([byWord.Str("id")], await Ids(word.ToLowerInvariant()));
        Assert.Equal([other.Str("id")], await Ids("#" + other.GetProperty("number").GetInt64()));
        Assert.Equal([other.Str("id")], await Ids(other.Str("id")));
        Assert.Empty(await Ids("100%_nothing"));
    }

    [Fact]
    public async Task Messages_after_seq_are_exactly_the_missed_ones()
    {
        var customer = app.ClientFor(Unique.Customer());
        var id = (await customer.CreateTicket()).Str("id");
        for (var i = 1; i <= 6; i++) await customer.PostMessage(id, $"m{i}");

        var missed = await (await customer.GetAsync($"/api/v1/tickets/{id}/messages?after_seq=4")).Body();
        Assert.Equal([5L, 6L], missed.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        var none = await (await customer.GetAsync($"/api/v1/tickets/{id}/messages?after_seq=6")).Body();
        Assert.Equal(0, none.GetArrayLength());
    }

    [Fact]
    public async Task Message_pages_link_to_the_next_after_seq()
    {
        var customer = app.ClientFor(Unique.Customer());
        var id = (await customer.CreateTicket()).Str("id");
        for (var i = 1; i <= 5; i++) await customer.PostMessage(id, $"m{i}");
        var response = await customer.GetAsync($"/api/v1/tickets/{id}/messages?after_seq=1&limit=2");
        Assert.Equal([2L, 3L], (await response.Body()).EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        var link = NextLink().Match(response.Headers.GetValues("Link").Single()).Groups[1].Value;
        Assert.Contains("after_seq=3", link);
        Assert.Contains("limit=2", link);
    }
}

public sealed class SqliteTicketListTests(SqliteApp app) : TicketListTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresTicketListTests(PostgresApp app) : TicketListTests(app), IClassFixture<PostgresApp>;
