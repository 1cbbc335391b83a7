using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.EventFeed;

public sealed class EventRetentionTests
{
    [Fact]
    public async Task Events_older_than_RetentionDays_are_deleted_and_younger_ones_kept()
    {
        using var app = new TestApp(Store.Sqlite, new Dictionary<string, string?> { ["Events:RetentionDays"] = "7" });
        var customer = app.ClientFor(Unique.Customer());
        var old = (await customer.CreateTicket("Old")).Str("id");
        var young = (await customer.CreateTicket("Young")).Str("id");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Aged in the database rather than by a fake clock, which would expire the test's tokens too.
        var day = 86400L;
        await db.Events.Where(e => e.TicketId == old).ExecuteUpdateAsync(s => s.SetProperty(e => e.Created, e => e.Created - 7 * day - 60));
        await db.Events.Where(e => e.TicketId == young).ExecuteUpdateAsync(s => s.SetProperty(e => e.Created, e => e.Created - 6 * day));

        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        db.WebhookDeliveries.AddRange(
            new SupportTicket.Server.Webhooks.WebhookDelivery { EndpointId = "w", EventId = "evt_old", EventType = "ping", Result = "success", AttemptedAt = nowMs - (7 * day + 60) * 1000 },
            new SupportTicket.Server.Webhooks.WebhookDelivery { EndpointId = "w", EventId = "evt_young", EventType = "ping", Result = "success", AttemptedAt = nowMs - 6 * day * 1000 });
        await db.SaveChangesAsync();

        var deleted = await app.Services.GetRequiredService<EventRetention>().DeleteExpiredAsync(db, CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal([young], await db.Events.Select(e => e.TicketId).ToListAsync());
        Assert.Equal(["evt_young"], await db.WebhookDeliveries.Select(d => d.EventId).ToListAsync());
    }

    [Fact]
    public Task A_bad_RetentionDays_stops_startup_naming_the_setting() =>
        Infrastructure.ServerProcess.AssertRefusesAsync(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["Events__RetentionDays"] = "0" }, "Events:RetentionDays");
}
