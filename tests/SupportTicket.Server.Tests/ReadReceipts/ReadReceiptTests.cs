using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.ReadReceipts;

public abstract class ReadReceiptTests(TestApp app)
{
    private readonly TestUser _owner = Unique.Customer();
    private readonly TestUser _agent = Unique.Agent();

    [Fact]
    public async Task Markers_move_forward_only_are_clamped_to_what_the_caller_sees_and_reach_the_other_side()
    {
        var ticketId = (await app.ClientFor(_owner).CreateTicket()).Str("id");
        await app.ClientFor(_owner).PostMessage(ticketId, "Hello");                   // seq 1, public 1
        await app.ClientFor(_agent).PostMessage(ticketId, "Checking", @internal: true); // seq 2 (a note)
        await app.ClientFor(_agent).PostMessage(ticketId, "Try again");               // seq 3, public 2
        await using var agentHub = await HubClient.AuthorizedAsync(app, _agent);
        await agentHub.InvokeAsync("subscribe", ticketId);

        // The customer asks for 99: clamped to their last visible seq, 2. Staff hear it in their numbering, 3.
        var marked = await (await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = 99 })).Body();
        Assert.Equal(("customer", 2L), (marked.Str("side"), marked.GetProperty("seq").GetInt64()));
        var heard = await agentHub.NextEventForAsync(ticketId, "read");
        Assert.Equal(("customer", 3L), (heard.Payload.Str("side"), heard.Payload.GetProperty("seq").GetInt64()));

        // Backwards and repeated: nothing moves, no event.
        var back = await (await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = 1 })).Body();
        Assert.Equal(2L, back.GetProperty("seq").GetInt64());
        await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = 2 });
        await agentHub.AssertNoEventAsync("read", TimeSpan.FromMilliseconds(300));

        var asStaff = await (await app.ClientFor(_agent).GetAsync($"/api/v1/tickets/{ticketId}")).Body();
        Assert.Equal((3L, 3L), (asStaff.GetProperty("customer_read_seq").GetInt64(), asStaff.GetProperty("staff_read_seq").GetInt64()));
        var asOwner = await (await app.ClientFor(_owner).GetAsync($"/api/v1/tickets/{ticketId}")).Body();
        Assert.Equal((2L, 2L), (asOwner.GetProperty("customer_read_seq").GetInt64(), asOwner.GetProperty("staff_read_seq").GetInt64()));
        await AssertReadEventsAsync(ticketId, 1);
    }

    [Fact]
    public async Task The_hub_method_marks_staff_read_and_the_owner_hears_it_in_their_numbering()
    {
        var ticketId = (await app.ClientFor(_owner).CreateTicket()).Str("id");
        await app.ClientFor(_agent).PostMessage(ticketId, "Note", @internal: true);   // seq 1
        await app.ClientFor(_owner).PostMessage(ticketId, "Anyone?");                 // seq 2, public 1
        await using var ownerHub = await HubClient.AuthorizedAsync(app, _owner);
        await using var agentHub = await HubClient.AuthorizedAsync(app, _agent);

        await agentHub.InvokeAsync("markRead", ticketId, 2);
        var heard = await ownerHub.NextEventForAsync(ticketId, "read");
        Assert.Equal(("staff", 1L), (heard.Payload.Str("side"), heard.Payload.GetProperty("seq").GetInt64()));
        Assert.True(heard.Payload.GetProperty("at").GetInt64() > 0);
    }

    [Fact]
    public async Task A_reply_marks_its_authors_side_read()
    {
        var ticketId = (await app.ClientFor(_owner).CreateTicket()).Str("id");
        await app.ClientFor(_owner).PostMessage(ticketId, "Hello");
        await app.ClientFor(_agent).PostMessage(ticketId, "Hi");
        var ticket = await (await app.ClientFor(_agent).GetAsync($"/api/v1/tickets/{ticketId}")).Body();
        Assert.Equal((1L, 2L), (ticket.GetProperty("customer_read_seq").GetInt64(), ticket.GetProperty("staff_read_seq").GetInt64()));
    }

    [Fact]
    public async Task Another_customers_ticket_is_404_and_bad_bodies_are_400()
    {
        var ticketId = (await app.ClientFor(_owner).CreateTicket()).Str("id");
        await app.ClientFor(_agent).PostMessage(ticketId, "Hi");
        var stranger = Unique.Customer();
        var foreign = await app.ClientFor(stranger).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = 1 });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        await using var strangerHub = await HubClient.AuthorizedAsync(app, stranger);
        await strangerHub.InvokeAsync("markRead", ticketId, 1);
        Assert.Equal("error", (await strangerHub.NextEventAsync("error")).Name);

        Assert.Equal(HttpStatusCode.BadRequest, (await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = -1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/read", new { })).StatusCode);
        var body = await (await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/read", new { seq = "x" })).Body();
        Assert.Equal("BAD_REQUEST", body.Str("error"));
        var ticket = await (await app.ClientFor(_owner).GetAsync($"/api/v1/tickets/{ticketId}")).Body();
        Assert.Equal(0L, ticket.GetProperty("customer_read_seq").GetInt64());
    }

    private async Task AssertReadEventsAsync(string ticketId, int expected)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.Events.Where(e => e.TicketId == ticketId && e.Type == "ticket.read").ToListAsync();
        Assert.Equal(expected, rows.Count);
        Assert.Equal(3L, JsonDocument.Parse(rows[0].Data).RootElement.GetProperty("customer_read_seq").GetInt64());
    }
}

public sealed class SqliteReadReceiptTests(SqliteApp app) : ReadReceiptTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresReadReceiptTests(PostgresApp app) : ReadReceiptTests(app), IClassFixture<PostgresApp>;
