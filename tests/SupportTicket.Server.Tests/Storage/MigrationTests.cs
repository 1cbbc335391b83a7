using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Storage;

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
            // Every migration in the assembly, in order, starting with the first one ever shipped.
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(db.Database.GetMigrations(), applied);
            Assert.Equal("20261121000001_Initial", applied[0]);
            Assert.Contains("20261207000010_AttachmentFiles", applied);
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
