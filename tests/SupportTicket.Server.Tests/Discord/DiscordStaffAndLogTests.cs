extern alias fake;
using System.Globalization;
using System.Text.Json.Nodes;
using fake::SupportTicket.FakeDiscord;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Lifecycle;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Discord:Levels:&lt;LEVEL&gt;:RoleId channel visibility and the Discord:LogChannelId lines (#28 items 7 and 8).</summary>
public sealed class DiscordStaffAndLogTests : IAsyncLifetime
{
    private const ulong UrgentRole = 900_000_000_000_000_077;
    private DiscordBotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await StartAsync(configure: h =>
    {
        h.Settings["Discord:LogChannelId"] = h.LogChannelId.ToString(CultureInfo.InvariantCulture);
        h.Settings["Discord:Levels:URGENT:RoleId"] = UrgentRole.ToString(CultureInfo.InvariantCulture);
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private List<string> LogLines()
    {
        lock (_bot.Fake.Store.Gate)
            return _bot.Fake.Store.MessagesIn(_bot.LogChannelId).OrderBy(m => ulong.Parse((string)m["id"]!)).Select(m => (string)m["content"]!).ToList();
    }

    private IReadOnlyList<(ulong Id, long Allow)> RoleAllows(string ticketId) => _bot.ChannelOf(ticketId)!["permission_overwrites"]!.AsArray()
        .Where(o => (int)o!["type"]! == 0 && long.Parse((string)o["allow"]!) > 0)
        .Select(o => (ulong.Parse((string)o!["id"]!), long.Parse((string)o["allow"]!))).ToList();

    [Fact]
    public async Task A_level_role_alone_with_admins_sees_that_levels_channels_and_may_work_them()
    {
        var customer = _bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "ivy"));
        var urgent = (await customer.CreateTicket("Site down", "URGENT")).Str("id");
        var normal = (await customer.CreateTicket("Question")).Str("id");
        var channel = await _bot.WaitForChannelAsync(urgent);
        await _bot.WaitForChannelAsync(normal);

        Assert.Equal(new[] { UrgentRole, AdminRole }.Order(), RoleAllows(urgent).Select(r => r.Id).Order().ToList());
        Assert.Equal(new[] { SupportRole, AdminRole }.Order(), RoleAllows(normal).Select(r => r.Id).Order().ToList());

        // A member of the level role only is staff in Discord.
        var responder = new FakeMember(Agent + 20, [UrgentRole], "una");
        await _bot.Fake.CreateInteractionAsync(channel, responder, 2, new JsonObject { ["name"] = "claim", ["type"] = 1 });
        await _bot.WaitForTicketAsync(customer, urgent, t => t.GetProperty("assignee_id").ValueKind == System.Text.Json.JsonValueKind.String);

        // Down to NORMAL: the channel moves and the support roles see it instead.
        await _bot.App.ClientFor(Unique.Agent()).PatchJson($"/api/v1/tickets/{urgent}", new { issue_level = "NORMAL" });
        await _bot.WaitUntilAsync(() => RoleAllows(urgent).Any(r => r.Id == SupportRole), "the new overwrites");
        Assert.DoesNotContain(RoleAllows(urgent), r => r.Id == UrgentRole);
    }

    [Fact]
    public async Task The_log_channel_gets_one_line_per_opened_claimed_transferred_and_closed_ticket()
    {
        var customer = _bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "jon"));
        var ticket = await customer.CreateTicket("Refund @everyone");
        var ticketId = ticket.Str("id");
        var number = ticket.GetProperty("number").GetInt64();
        var channel = await _bot.WaitForChannelAsync(ticketId);
        await _bot.WaitUntilAsync(() => LogLines().Any(l => l.Contains($"#{number}:")), "the opened line");

        var ann = new FakeMember(Agent, [SupportRole], "ann");
        var bob = new FakeMember(Agent + 1, [SupportRole], "bob");
        _bot.Fake.AddMember(bob);
        await _bot.Fake.CreateInteractionAsync(channel, ann, 2, new JsonObject { ["name"] = "claim", ["type"] = 1 });
        await _bot.WaitUntilAsync(() => LogLines().Count(l => l.Contains($"#{number}:")) >= 2, "the claimed line");
        await _bot.Fake.UserOptionCommandAsync(channel, ann, "transfer", "agent", bob.UserId);
        await _bot.WaitUntilAsync(() => LogLines().Count(l => l.Contains($"#{number}:")) >= 3, "the transferred line");
        await customer.PostMessage(ticketId, "any news?"); // no assignee change: no line
        // Through REST: the same lines as from Discord.
        var api = _bot.App.ClientFor(Unique.Agent());
        await api.PatchJson($"/api/v1/tickets/{ticketId}", new { assignee_id = (string?)null });
        await _bot.WaitUntilAsync(() => LogLines().Count(l => l.Contains($"#{number}:")) >= 4, "the unassigned line");
        await api.PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "refunded" });
        await _bot.WaitUntilAsync(() => LogLines().Count(l => l.Contains($"#{number}:")) >= 5, "the closed line");

        var lines = LogLines().Where(l => l.Contains($"#{number}:")).ToList();
        Assert.Equal(5, lines.Count);
        Assert.Contains("opened by jon (NORMAL)", lines[0]);
        Assert.Contains($"<#{channel}>", lines[0]);
        Assert.DoesNotContain("@everyone", lines[0]); // defused
        Assert.Contains($"claimed by <@{ann.UserId}>", lines[1]);
        Assert.Contains($"transferred from <@{ann.UserId}> to <@{bob.UserId}>", lines[2]);
        Assert.Contains($"unassigned (was <@{bob.UserId}>)", lines[3]);
        Assert.EndsWith("closed: refunded", lines[4]);
        var posts = _bot.Fake.Requests.Where(r => r.Route == "POST /channels/{channel_id}/messages" && r.Path.Contains(_bot.LogChannelId.ToString())).ToList();
        Assert.All(posts, p => Assert.Contains("\"parse\":[]", System.Text.Encoding.UTF8.GetString(p.Body)));
    }

    [Fact]
    public async Task The_log_channel_gets_a_line_for_an_sla_breach_and_for_a_rating_with_its_comment_defused()
    {
        var customer = _bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "kim"));
        var ticket = await customer.CreateTicket("Printer jammed");
        var ticketId = ticket.Str("id");
        var number = ticket.GetProperty("number").GetInt64();
        var channel = await _bot.WaitForChannelAsync(ticketId);
        using (var scope = _bot.App.Services.CreateScope())
        {
            var due = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.Where(t => t.Id == ticketId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaFirstResponseDueAt, due));
        }
        await _bot.App.Services.GetRequiredService<TimerService>().RoundAsync(CancellationToken.None);
        await _bot.WaitUntilAsync(() => LogLines().Any(l => l.Contains($"#{number}:") && l.Contains("missed its SLA")), "the SLA line");
        Assert.Contains($"<#{channel}>", LogLines().Single(l => l.Contains($"#{number}:") && l.Contains("missed its SLA")));

        await _bot.App.ClientFor(Unique.Agent()).PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "fixed" });
        await _bot.WaitUntilAsync(() => LogLines().Any(l => l.Contains($"#{number}:") && l.Contains("closed")), "the closed line");
        Assert.Equal(200, (int)(await customer.PostJson($"/api/v1/tickets/{ticketId}/rating", new { score = 4, comment = "Quick @everyone" })).StatusCode);

        await _bot.WaitUntilAsync(() => LogLines().Any(l => l.Contains($"#{number}:") && l.Contains("rated")), "the rated line");
        var rated = LogLines().Single(l => l.Contains($"#{number}:") && l.Contains("rated"));
        Assert.Contains("★★★★☆ (4/5)", rated);
        Assert.Contains("Quick", rated);
        Assert.DoesNotContain("@everyone", rated);
        var posts = _bot.Fake.Requests.Where(r => r.Route == "POST /channels/{channel_id}/messages" && r.Path.Contains(_bot.LogChannelId.ToString())).ToList();
        Assert.All(posts, p => Assert.Contains("\"parse\":[]", System.Text.Encoding.UTF8.GetString(p.Body)));
    }
}
