using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

public sealed class HubCatchUpTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Client_back_from_a_disconnect_gets_exactly_what_it_missed_with_after_seq()
    {
        var owner = Unique.Customer();
        var agent = app.ClientFor(Unique.Agent());
        var ticketId = (await app.ClientFor(owner).CreateTicket()).Str("id");
        long lastSeen;
        await using (var hub = await HubClient.AuthorizedAsync(app, owner))
        {
            await agent.PostMessage(ticketId, "Seen live");
            lastSeen = (await hub.NextEventForAsync(ticketId, "message")).Seq;
        }
        await agent.PostMessage(ticketId, "Missed one");
        await agent.PostMessage(ticketId, "Missed two");

        await using var back = await HubClient.AuthorizedAsync(app, owner);
        var missed = await (await app.ClientFor(owner).GetAsync($"/api/v1/tickets/{ticketId}/messages?after_seq={lastSeen}")).Body();
        await agent.PostMessage(ticketId, "Live again");

        Assert.Equal(["Missed one", "Missed two"], missed.EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal([2L, 3L], missed.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        // An event of a missed message may still be on its way when the client is back (events leave after the
        // commit, asynchronously); the client drops it by seq. What must arrive live is the next message, seq 4.
        var live = await back.NextEventForAsync(ticketId, "message");
        while (live.Seq < 4)
        {
            Assert.Contains(live.Seq, new[] { 2L, 3L });
            live = await back.NextEventForAsync(ticketId, "message");
        }
        Assert.Equal(4L, live.Seq);
        Assert.Equal("Live again", live.Payload.GetProperty("content").GetString());
    }
}
