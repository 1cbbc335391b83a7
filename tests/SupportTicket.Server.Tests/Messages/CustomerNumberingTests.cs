using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Messages;

/// <summary>
/// Security item 7: a staff note between two messages leaves no trace for the customer. The customer's seq (in
/// lists, in their own POST's answer, in hub events, in last_seq and in what after_seq counts) is gap-free over the
/// messages they can see; staff keep the full numbering with the notes in it.
/// </summary>
public abstract class CustomerNumberingTests(TestApp app)
{
    private readonly TestUser _owner = Unique.Customer();
    private readonly TestUser _agent = Unique.Agent();

    /// <summary>Customer question, staff note, staff answer, customer follow-up: full seq 1-4, customers' 1-3.</summary>
    private async Task<(string Id, JsonElement FollowUp)> ConversationWithANoteAsync()
    {
        var owner = app.ClientFor(_owner);
        var agent = app.ClientFor(_agent);
        var id = (await owner.CreateTicket()).Str("id");
        await owner.PostMessage(id, "My invoice is wrong");
        await agent.PostMessage(id, "Old plan, check billing first", @internal: true);
        await agent.PostMessage(id, "Looking into it");
        return (id, await owner.PostMessage(id, "Thanks"));
    }

    private static long[] Seqs(JsonElement page) => page.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray();

    private async Task<JsonElement> ListAsync(TestUser user, string id, string query = "") =>
        await (await app.ClientFor(user).GetAsync($"/api/v1/tickets/{id}/messages{query}")).Body();

    [Fact]
    public async Task A_note_leaves_no_gap_in_what_the_customer_sees_while_staff_see_every_seq()
    {
        var (id, followUp) = await ConversationWithANoteAsync();

        Assert.Equal(3, followUp.GetProperty("seq").GetInt64());
        Assert.Equal(new long[] { 1L, 2L, 3L }, Seqs(await ListAsync(_owner, id)));
        Assert.Equal(3, (await (await app.ClientFor(_owner).GetAsync($"/api/v1/tickets/{id}")).Body()).GetProperty("last_seq").GetInt64());
        var listed = (await (await app.ClientFor(_owner).GetAsync("/api/v1/tickets")).Body()).EnumerateArray().Single(t => t.Str("id") == id);
        Assert.Equal(3, listed.GetProperty("last_seq").GetInt64());

        var staffView = await ListAsync(_agent, id);
        Assert.Equal([1L, 2L, 3L, 4L], Seqs(staffView));
        Assert.True(staffView[1].GetProperty("internal").GetBoolean());
        Assert.Equal(4, (await (await app.ClientFor(_agent).GetAsync($"/api/v1/tickets/{id}")).Body()).GetProperty("last_seq").GetInt64());

        // The customer's edit answers in their numbering too.
        var edited = await (await app.ClientFor(_owner).PatchJson($"/api/v1/tickets/{id}/messages/{followUp.Str("id")}", new { content = "Thanks!" })).Body();
        Assert.Equal(3, edited.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task After_seq_counts_in_the_callers_numbering_and_pages_follow_it()
    {
        var (id, _) = await ConversationWithANoteAsync();

        Assert.Equal(["Looking into it", "Thanks"], (await ListAsync(_owner, id, "?after_seq=1")).EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal(["Old plan, check billing first", "Looking into it", "Thanks"],
            (await ListAsync(_agent, id, "?after_seq=1")).EnumerateArray().Select(m => m.Str("content")));

        // One message a page: the customer walks 1, 2, 3 by the Link header and never meets the note.
        var seen = new List<long>();
        var url = $"/api/v1/tickets/{id}/messages?limit=1";
        while (url is not null)
        {
            var response = await app.ClientFor(_owner).GetAsync(url);
            seen.AddRange(Seqs(await response.Body()));
            url = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('<', '>')[1] : null;
        }
        Assert.Equal([1L, 2L, 3L], seen);
    }

    [Fact]
    public async Task Hub_events_carry_each_recipients_numbering()
    {
        var id = (await app.ClientFor(_owner).CreateTicket()).Str("id");
        await using var customerHub = await HubClient.AuthorizedAsync(app, _owner);
        await using var staffHub = await HubClient.AuthorizedAsync(app, _agent);
        await staffHub.InvokeAsync("subscribe", id);

        await app.ClientFor(_owner).PostMessage(id, "Hello");
        await app.ClientFor(_agent).PostMessage(id, "VIP customer", @internal: true);
        await app.ClientFor(_agent).PostMessage(id, "Hi there");
        await app.ClientFor(_agent).PostJson($"/api/v1/tickets/{id}/close", new { reason = "done" });

        var customerSeqs = new List<long>();
        for (var i = 0; i < 2; i++) customerSeqs.Add((await customerHub.NextEventForAsync(id, "message")).Seq);
        var staffSeqs = new List<long>();
        for (var i = 0; i < 3; i++) staffSeqs.Add((await staffHub.NextEventForAsync(id, "message")).Seq);
        Assert.Equal([1L, 2L], customerSeqs);
        Assert.Equal([1L, 2L, 3L], staffSeqs);
        Assert.Equal(2, (await customerHub.NextEventForAsync(id, "ticket_closed")).Payload.GetProperty("last_seq").GetInt64());
        Assert.Equal(3, (await staffHub.NextEventForAsync(id, "ticket_closed")).Payload.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_database_from_before_the_customer_numbering_is_numbered_from_its_messages_on_upgrade()
    {
        var (id, _) = await ConversationWithANoteAsync();
        using (var scope = app.Services.CreateScope())
        {
            var migrator = scope.ServiceProvider.GetRequiredService<AppDbContext>().GetService<IMigrator>();
            await migrator.MigrateAsync("20261202000001_TicketNumberSequence");
            await migrator.MigrateAsync();
        }

        Assert.Equal(new long[] { 1L, 2L, 3L }, Seqs(await ListAsync(_owner, id)));
        Assert.Equal(new long[] { 1L, 2L, 3L, 4L }, Seqs(await ListAsync(_agent, id)));
        Assert.Equal(4, (await app.ClientFor(_owner).PostMessage(id, "Any news?")).GetProperty("seq").GetInt64());
        Assert.Equal(6, (await app.ClientFor(_agent).PostMessage(id, "Yes")).GetProperty("seq").GetInt64());
    }
}

public sealed class SqliteCustomerNumberingTests(SqliteApp app) : CustomerNumberingTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresCustomerNumberingTests(PostgresApp app) : CustomerNumberingTests(app), IClassFixture<PostgresApp>;
