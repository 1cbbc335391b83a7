using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Attachments.AttachmentSeed;

namespace SupportTicket.Server.Tests.Storage;

/// <summary>
/// A database from before the chunked files (one row per file, bytes in one column) is carried over: files split
/// into chunks and tied to the relayed message that links them; files left behind by deleted tickets and messages dropped.
/// </summary>
public abstract class AttachmentMigrationTests(Store store)
{
    private const string Before = "20261202000010_CustomerNumbering";

    [Fact]
    public async Task Files_survive_a_downgrade_and_upgrade_and_orphans_are_dropped_on_upgrade()
    {
        using var app = new TestApp(store);
        var agent = app.ClientFor(Unique.Agent());
        var ticketId = (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id");
        var relayed = (await agent.PostMessage(ticketId, "files")).Str("id");
        var other = (await agent.PostMessage(ticketId, "no files")).Str("id");
        var kept = Random(150_000); // three chunks
        var keptLink = await StoreAsync(app, ticketId, relayed, "kept.bin", "application/octet-stream", kept);
        const string orphanId = "0000000000000000000000000000000a", goneTicketId = "0000000000000000000000000000000b", emptyId = "0000000000000000000000000000000c";
        var links = $"[\"https://t.example.com{keptLink}\",\"https://t.example.com/api/v1/attachments/{emptyId}/empty.txt\"]";

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.ExecuteSqlAsync($"UPDATE messages SET source = 'DISCORD', attachments = {links} WHERE id = {relayed}");
            await db.GetService<IMigrator>().MigrateAsync(Before);
            // Rows as the old version wrote them: one linked by no message, one of a deleted ticket, one empty file.
            foreach (var (id, ticket, data) in new[] { (orphanId, ticketId, Random(10)), (goneTicketId, "deleted-ticket", Random(10)), (emptyId, ticketId, Array.Empty<byte>()) })
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO attachments (id, ticket_id, file_name, content_type, data, created_at) VALUES ({id}, {ticket}, 'f.txt', 'text/plain', {data}, 0)");
            await db.GetService<IMigrator>().MigrateAsync();
        }

        var anonymous = app.Anonymous();
        Assert.Equal(kept, await (await anonymous.GetAsync(keptLink)).Content.ReadAsByteArrayAsync());
        var empty = await anonymous.GetAsync($"/api/v1/attachments/{emptyId}/empty.txt");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Empty(await empty.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/attachments/{orphanId}/f.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/attachments/{goneTicketId}/f.txt")).StatusCode);

        // Tied to its message by the upgrade: deleting another message keeps it, deleting its own removes it.
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(keptLink)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{relayed}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(keptLink)).StatusCode);
        Assert.Equal(0, await ChunksAsync(app, keptLink));
    }
}

public sealed class SqliteAttachmentMigrationTests() : AttachmentMigrationTests(Store.Sqlite);
public sealed class PostgresAttachmentMigrationTests() : AttachmentMigrationTests(Store.Postgres);
