using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Hosting;

public abstract class MigrationTests(Store store)
{
    [Fact]
    public async Task Empty_database_is_migrated_at_startup_and_keeps_data_across_restarts()
    {
        using var first = new TestApp(store);
        var customer = Unique.Customer();
        var ticket = await first.ClientFor(customer).CreateTicket();

        using (var scope = first.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(["20261121000001_Initial", "20261201000010_Revocations", "20261201000020_DiscordOutbox", "20261202000001_TicketNumberSequence", "20261202000010_CustomerNumbering", "20261207000001_EventFeed", "20261207000010_Webhooks"], await db.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        // A second node (or a restart) on the same database finds the schema and the data.
        using var second = new TestApp(store, new Dictionary<string, string?> { ["Storage:DatabaseUrl"] = first.DatabaseUrl });
        var again = await second.ClientFor(customer).GetAsync($"/api/v1/tickets/{ticket.Str("id")}");
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        var next = await second.ClientFor(customer).CreateTicket();
        Assert.Equal(ticket.GetProperty("number").GetInt64() + 1, next.GetProperty("number").GetInt64());
    }
}

public sealed class SqliteMigrationTests() : MigrationTests(Store.Sqlite);
public sealed class PostgresMigrationTests() : MigrationTests(Store.Postgres);
