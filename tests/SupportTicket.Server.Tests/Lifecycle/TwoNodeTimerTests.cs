using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Lifecycle;

/// <summary>
/// Two nodes on one PostgreSQL database, both running timer rounds at once (as two leaders would in the moment a
/// lease changes hands): every timer acts once.
/// </summary>
public sealed class TwoNodeTimerTests
{
    [Fact]
    public async Task Timers_on_two_nodes_fire_once()
    {
        using var one = new LifecycleApp(Store.Postgres);
        using var two = new LifecycleApp(Store.Postgres, new Dictionary<string, string?> { ["Storage:DatabaseUrl"] = one.DatabaseUrl });
        var customer = Unique.Customer();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = (await one.As(customer).CreateTicket($"Ticket {i}")).Str("id");
            await one.As(Unique.Agent()).PostMessage(id, "Can you confirm?");
            ids.Add(id);
        }
        var now = one.Clock.GetUtcNow();
        two.Clock.SetUtcNow(now > two.Clock.GetUtcNow() ? now : two.Clock.GetUtcNow());

        foreach (var step in new[] { TimeSpan.FromHours(48), TimeSpan.FromHours(24) })
        {
            one.Clock.Advance(step);
            two.Clock.SetUtcNow(one.Clock.GetUtcNow());
            await Task.WhenAll(one.RoundAsync(), two.RoundAsync(), one.RoundAsync(), two.RoundAsync());
        }

        foreach (var id in ids)
        {
            Assert.Equal("CLOSED", (await one.TicketAsync(id)).Str("status"));
            var events = await one.EventTypesAsync(id);
            Assert.Single(events, t => t == "ticket.closed");
            Assert.Single(events, t => t == "ticket.auto_close_warning");
            Assert.Single(await one.MessagesAsync(id), m => m.StartsWith("This ticket will be closed"));
        }
    }
}
