using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

/// <summary>
/// Stateful reconnect with the official client over real sockets: the network drops for two seconds, the client's
/// transport reconnects to the same server connection, and the server replays what it sent meanwhile. No catch-up.
/// </summary>
public sealed class StatefulReconnectTests
{
    [Fact]
    public async Task A_two_second_network_drop_loses_nothing_and_needs_no_catch_up()
    {
        using var app = new TestApp();
        var server = app.StartOnLoopback();
        using var proxy = new DroppingProxy(server);
        var owner = Unique.Customer();
        using var agent = Client(server, TestUser.Agent());
        using var ownerHttp = Client(server, owner);
        var ticketId = (await ownerHttp.CreateTicket()).Str("id");

        var reconnecting = 0;
        await using var hub = await HubClient.ConnectAsync(new HubConnectionBuilder()
            .WithUrl(new Uri(proxy.Address, HubClient.Path), o => o.Transports = HttpTransportType.WebSockets)
            .WithStatefulReconnect());
        hub.Connection.Reconnecting += _ => { Interlocked.Increment(ref reconnecting); return Task.CompletedTask; };
        await hub.AuthorizeAsync(owner);
        var connectionId = hub.Connection.ConnectionId;

        await agent.PostMessage(ticketId, "before the drop");
        Assert.Equal(1L, (await hub.NextEventForAsync(ticketId, "message")).Seq);

        proxy.DropFor(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 5; i++) await agent.PostMessage(ticketId, $"during the drop {i}");   // straight to the server

        var seqs = new List<long>();
        for (var i = 0; i < 5; i++) seqs.Add((await hub.NextEventForAsync(ticketId, "message", TimeSpan.FromSeconds(20))).Seq);

        Assert.Equal([2L, 3L, 4L, 5L, 6L], seqs);
        Assert.True(proxy.Accepted >= 2, "the transport never reconnected: the drop did not happen");
        Assert.Equal(connectionId, hub.Connection.ConnectionId);   // the same connection, resumed
        Assert.Equal(0, reconnecting);                             // never a new connection (which would need catch-up)
        Assert.False(hub.Closed.IsCompleted);
        await agent.PostMessage(ticketId, "after the drop");
        Assert.Equal(7L, (await hub.NextEventForAsync(ticketId, "message")).Seq);
    }

    private static HttpClient Client(Uri server, TestUser user) => new()
    {
        BaseAddress = server,
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.For(user)) },
    };
}
