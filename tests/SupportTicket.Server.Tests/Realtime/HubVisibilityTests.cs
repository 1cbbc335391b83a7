using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>
/// Who receives what. Negative cases use a later event as a barrier: a connection receives events in publish order,
/// so when the later event arrives first, the earlier one was never sent.
/// </summary>
public sealed class HubVisibilityTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private readonly TestUser _owner = Unique.Customer();
    private readonly TestUser _agent = Unique.Agent();

    [Fact]
    public async Task Customer_never_receives_an_internal_note()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, _owner);

        await app.ClientFor(_agent).PostMessage(ticketId, "Customer seems confused", @internal: true);
        await app.ClientFor(_agent).PostMessage(ticketId, "Let me help you");

        var first = await hub.NextEventForAsync(ticketId, "message");
        // Seq 1 in the customer's numbering: the note before it leaves no gap (CustomerNumberingTests).
        Assert.Equal((1L, false), (first.Seq, first.Payload.GetProperty("internal").GetBoolean()));
    }

    [Fact]
    public async Task Staff_do_not_receive_messages_of_tickets_they_neither_subscribed_to_nor_are_assigned_to()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, _agent);

        await app.ClientFor(_owner).PostMessage(ticketId, "Anyone there?");
        await hub.InvokeAsync("subscribe", ticketId);
        await app.ClientFor(_owner).PostMessage(ticketId, "Hello?");

        Assert.Equal(2L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    [Fact]
    public async Task Subscribed_staff_receive_internal_notes_of_the_ticket()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, Unique.Admin());
        await hub.InvokeAsync("subscribe", ticketId);

        await app.ClientFor(_agent).PostMessage(ticketId, "Escalating", @internal: true);

        var note = await hub.NextEventForAsync(ticketId, "message");
        Assert.True(note.Payload.GetProperty("internal").GetBoolean());
    }

    [Fact]
    public async Task Assigned_staff_receive_messages_without_subscribing()
    {
        var ticketId = await NewTicketAsync();
        await app.ClientFor(_agent).PatchJson($"/api/v1/tickets/{ticketId}", new { assignee_id = _agent.Id, status = "IN_PROGRESS" });
        await using var hub = await HubClient.AuthorizedAsync(app, _agent);

        await app.ClientFor(_owner).PostMessage(ticketId, "Thanks for taking this");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    [Fact]
    public async Task Unsubscribe_stops_message_events_of_that_ticket()
    {
        var left = await NewTicketAsync();
        var kept = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, _agent);
        await hub.InvokeAsync("subscribe", left);
        await hub.InvokeAsync("subscribe", kept);

        await hub.InvokeAsync("unsubscribe", left);
        await app.ClientFor(_owner).PostMessage(left, "Still there?");
        await app.ClientFor(_owner).PostMessage(kept, "Other issue");

        Assert.Equal(kept, (await hub.NextEventAsync("message")).TicketId);
    }

    [Fact]
    public async Task Customer_subscribing_to_another_customers_ticket_gets_error_and_nothing_else()
    {
        var foreign = await NewTicketAsync();
        var intruder = Unique.Customer();
        var own = (await app.ClientFor(intruder).CreateTicket()).Str("id");
        await using var hub = await HubClient.AuthorizedAsync(app, intruder);

        await hub.InvokeAsync("subscribe", foreign);
        await app.ClientFor(_owner).PostMessage(foreign, "Private details");
        await app.ClientFor(intruder).PostMessage(own, "My own message");

        var error = await hub.NextEventAsync();
        Assert.Equal(("error", $"Ticket {foreign} not found"), (error.Name, error.Payload.Str("message")));
        // The intruder's own ticket_created may still be on its way (events leave after the commit): not counted.
        var next = await hub.NextEventAsync();
        while (next is { Name: "ticket_created" } && next.TicketId == own) next = await hub.NextEventAsync();
        Assert.Equal(("message", own), (next.Name, next.TicketId));
    }

    [Fact]
    public async Task Other_customers_receive_no_events_of_a_ticket()
    {
        var other = Unique.Customer();
        await using var hub = await HubClient.AuthorizedAsync(app, other);

        var foreign = await NewTicketAsync();
        await app.ClientFor(_owner).PostMessage(foreign, "Hello");
        var own = await app.ClientFor(other).CreateTicket();

        var next = await hub.NextEventAsync();
        Assert.Equal(("ticket_created", own.Str("id")), (next.Name, next.TicketId));
    }

    [Fact]
    public async Task Staff_member_both_subscribed_and_assigned_receives_each_event_once()
    {
        var ticketId = await NewTicketAsync();
        await app.ClientFor(_agent).PatchJson($"/api/v1/tickets/{ticketId}", new { assignee_id = _agent.Id });
        await using var hub = await HubClient.AuthorizedAsync(app, _agent);
        await hub.InvokeAsync("subscribe", ticketId);

        await app.ClientFor(_owner).PostMessage(ticketId, "One");
        await app.ClientFor(_owner).PostMessage(ticketId, "Two");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
        Assert.Equal(2L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    [Fact]
    public async Task Staff_owner_who_also_subscribed_receives_each_event_once()
    {
        var staffOwner = Unique.Agent();
        var ticketId = (await app.ClientFor(staffOwner).CreateTicket()).Str("id");
        await using var hub = await HubClient.AuthorizedAsync(app, staffOwner);
        await hub.InvokeAsync("subscribe", ticketId);

        await app.ClientFor(_agent).PostMessage(ticketId, "One");
        await app.ClientFor(_agent).PostMessage(ticketId, "Two");

        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
        Assert.Equal(2L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    [Fact]
    public async Task Typing_reaches_the_other_participants_but_not_the_sender()
    {
        var ticketId = await NewTicketAsync();
        await using var agentHub = await HubClient.AuthorizedAsync(app, _agent);
        await agentHub.InvokeAsync("subscribe", ticketId);
        await using var ownerHub = await HubClient.AuthorizedAsync(app, _owner);

        await ownerHub.InvokeAsync("typing", ticketId);
        var typing = await agentHub.NextEventForAsync(ticketId, "typing");
        await app.ClientFor(_agent).PostMessage(ticketId, "Reply");

        Assert.Equal(_owner.Id, typing.Payload.Str("user_id"));
        Assert.Equal("message", (await ownerHub.NextEventForAsync(ticketId)).Name);
    }

    [Fact]
    public async Task Typing_is_relayed_at_most_once_per_user_and_ticket_within_the_throttle_window()
    {
        var ticketId = await NewTicketAsync();
        await using var agentHub = await HubClient.AuthorizedAsync(app, _agent);
        await agentHub.InvokeAsync("subscribe", ticketId);
        await using var ownerHub = await HubClient.AuthorizedAsync(app, _owner);

        for (var i = 0; i < 3; i++) await ownerHub.InvokeAsync("typing", ticketId);
        await app.ClientFor(_owner).PostMessage(ticketId, "Done typing");

        Assert.Equal("typing", (await agentHub.NextEventForAsync(ticketId)).Name);
        Assert.Equal("message", (await agentHub.NextEventForAsync(ticketId)).Name);
    }

    [Fact]
    public async Task Staff_receive_ticket_updated_and_ticket_closed_of_tickets_they_do_not_follow()
    {
        var ticketId = await NewTicketAsync();
        await using var hub = await HubClient.AuthorizedAsync(app, Unique.Agent());

        await app.ClientFor(_owner).PatchJson($"/api/v1/tickets/{ticketId}", new { topic = "Cannot log in since Monday" });
        await app.ClientFor(_owner).PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "Fixed itself" });

        Assert.Equal("ticket_updated", (await hub.NextEventForAsync(ticketId)).Name);
        Assert.Equal("ticket_closed", (await hub.NextEventForAsync(ticketId)).Name);
    }

    [Fact]
    public async Task Staff_subscribing_to_a_missing_ticket_get_error()
    {
        await using var hub = await HubClient.AuthorizedAsync(app, _agent);

        await hub.InvokeAsync("subscribe", "no-such-ticket");

        var error = await hub.NextEventAsync();
        Assert.Equal(("error", "Ticket no-such-ticket not found"), (error.Name, error.Payload.Str("message")));
    }

    [Fact]
    public async Task Staff_typing_reaches_the_owner()
    {
        var ticketId = await NewTicketAsync();
        await using var ownerHub = await HubClient.AuthorizedAsync(app, _owner);
        await using var agentHub = await HubClient.AuthorizedAsync(app, _agent);

        await agentHub.InvokeAsync("typing", ticketId);

        var typing = await ownerHub.NextEventForAsync(ticketId);
        Assert.Equal(("typing", _agent.Id), (typing.Name, typing.Payload.Str("user_id")));
    }

    private async Task<string> NewTicketAsync() => (await app.ClientFor(_owner).CreateTicket()).Str("id");
}
