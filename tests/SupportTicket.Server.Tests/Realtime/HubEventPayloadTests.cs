using System.Text.Json;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>Each event, with the payload REST answered for the same change (snake_case, same fields).</summary>
public sealed class HubEventPayloadTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private readonly TestUser _owner = Unique.Customer();
    private readonly TestUser _agent = Unique.Agent();

    [Fact]
    public async Task Owner_receives_message_with_the_REST_message_object()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, _owner);

        var posted = await app.ClientFor(_agent).PostMessage(ticketId, "Have you tried turning it off and on?");

        AssertSame(posted, (await hub.NextEventForAsync(ticketId, "message")).Payload);
    }

    [Fact]
    public async Task Owner_receives_edit_message_with_the_edited_message()
    {
        var ticketId = await NewTicketAsync();
        var posted = await app.ClientFor(_agent).PostMessage(ticketId, "Frist reply");
        await using var hub = await HubClient.AuthorizedAsync(app, _owner);

        var edited = await (await app.ClientFor(_agent).PatchJson($"/api/v1/tickets/{ticketId}/messages/{posted.Str("id")}", new { content = "First reply" })).Body();

        var e = await hub.NextEventForAsync(ticketId, "edit_message");
        AssertSame(edited, e.Payload);
        Assert.Equal("First reply", e.Payload.Str("content"));
    }

    [Fact]
    public async Task Owner_receives_delete_message_with_the_deleted_message()
    {
        var ticketId = await NewTicketAsync();
        var posted = await app.ClientFor(_agent).PostMessage(ticketId, "Wrong ticket, sorry");
        await using var hub = await HubClient.AuthorizedAsync(app, _owner);

        var response = await app.ClientFor(_agent).DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{posted.Str("id")}");

        Assert.Equal(204, (int)response.StatusCode);
        AssertSame(posted, (await hub.NextEventForAsync(ticketId, "delete_message")).Payload);
    }

    [Fact]
    public async Task Owner_receives_ticket_closed_with_the_closed_ticket()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, _owner);

        var closed = await (await app.ClientFor(_agent).PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "Solved" })).Body();

        var e = await hub.NextEventForAsync(ticketId, "ticket_closed");
        AssertSame(closed, e.Payload);
        Assert.Equal("CLOSED", e.Payload.Str("status"));
    }

    [Fact]
    public async Task Owner_receives_ticket_updated_when_staff_change_the_ticket()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, _owner);

        var updated = await (await app.ClientFor(_agent).PatchJson($"/api/v1/tickets/{ticketId}", new { issue_level = "URGENT" })).Body();

        AssertSame(updated, (await hub.NextEventForAsync(ticketId, "ticket_updated")).Payload);
    }

    [Fact]
    public async Task Staff_receive_ticket_created_for_a_ticket_of_any_customer()
    {
        await using var hub = await HubClient.AuthorizedAsync(app, _agent);

        var created = await app.ClientFor(_owner).CreateTicket("Refund please");

        AssertSame(created, (await hub.NextEventForAsync(created.Str("id"), "ticket_created")).Payload);
    }

    [Fact]
    public async Task Typing_names_the_ticket_the_user_and_the_username()
    {
        var ticketId = await NewTicketAsync();
        await using var agentHub = await HubClient.AuthorizedAsync(app, _agent);
        await agentHub.InvokeAsync("subscribe", ticketId);
        await using var ownerHub = await HubClient.AuthorizedAsync(app, _owner);

        await ownerHub.InvokeAsync("typing", ticketId);

        var typing = await agentHub.NextEventForAsync(ticketId, "typing");
        AssertSame(JsonSerializer.SerializeToElement(new { ticket_id = ticketId, user_id = _owner.Id, username = _owner.Username }), typing.Payload);
    }

    private async Task<string> NewTicketAsync() => (await app.ClientFor(_owner).CreateTicket()).Str("id");

    private static void AssertSame(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected.GetRawText()}\nactual   {actual.GetRawText()}");
}
