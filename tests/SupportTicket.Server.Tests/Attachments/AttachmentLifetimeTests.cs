using System.Net;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Attachments.AttachmentSeed;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>A file lives as long as its ticket and its message: deleting either deletes the file, not just its link.</summary>
public abstract class AttachmentLifetimeTests(TestApp app)
{
    [Fact]
    public async Task Deleting_a_ticket_deletes_its_files_staff_notes_included()
    {
        var customer = app.ClientFor(Unique.Customer());
        var agent = app.ClientFor(Unique.Agent());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var reply = (await agent.PostMessage(ticketId, "see the log")).Str("id");
        var note = (await agent.PostMessage(ticketId, "internal dump", @internal: true)).Str("id");
        var links = new[]
        {
            await StoreAsync(app, ticketId, reply, "server.log", "text/plain", Random(70_000)),
            await StoreAsync(app, ticketId, note, "dump.bin", "application/octet-stream", Random(1000)),
            await StoreAsync(app, ticketId, null, "not-yet-posted.png", "image/png", Random(10)),
        };
        foreach (var link in links) Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(link)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.ClientFor(Unique.Admin()).DeleteAsync($"/api/v1/tickets/{ticketId}")).StatusCode);

        foreach (var link in links)
        {
            var gone = await app.Anonymous().GetAsync(link);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal("NOT_FOUND", (await gone.Body()).Str("error"));
            Assert.Equal(0, await ChunksAsync(app, link));
        }
    }

    [Fact]
    public async Task Deleting_a_message_deletes_its_files_and_no_others()
    {
        var customer = app.ClientFor(Unique.Customer());
        var agent = app.ClientFor(Unique.Agent());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var first = (await agent.PostMessage(ticketId, "first file")).Str("id");
        var second = (await agent.PostMessage(ticketId, "second file", @internal: true)).Str("id");
        var deleted = await StoreAsync(app, ticketId, first, "a.txt", "text/plain", Random(100));
        var kept = await StoreAsync(app, ticketId, second, "b.txt", "text/plain", Random(100));

        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{first}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync(deleted)).StatusCode);
        Assert.Equal(0, await ChunksAsync(app, deleted));
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(kept)).StatusCode);
    }
}

public sealed class SqliteAttachmentLifetimeTests(SqliteApp app) : AttachmentLifetimeTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresAttachmentLifetimeTests(PostgresApp app) : AttachmentLifetimeTests(app), IClassFixture<PostgresApp>;
