using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SupportTicket.Server.Events;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>A customer on node 1 and an agent on node 2: one conversation across nodes, over Redis.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDeliveryTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Customer_and_agent_on_different_nodes_hear_each_other_live_including_edits_deletes_and_close()
    {
        await using var talk = await cluster.ConversationAsync("live", cluster.Node(1), cluster.Node(2), agentHubOn: cluster.Node(2));
        var (_, agent, customerHub, _, customerApi, agentApi) = talk;
        var agentHub = talk.AgentHub!;

        var ticket = await customerApi.CreateTicket("Cross-node help");
        var id = ticket.Str("id");
        await agentHub.NextEventForAsync(id, EventNames.TicketCreated, Live);
        await agentHub.InvokeAsync("subscribe", id);

        var question = await customerApi.PostMessage(id, "hello from node 1");
        Assert.Equal("hello from node 1", (await agentHub.NextEventForAsync(id, EventNames.Message, Live)).Payload.Str("content"));
        await customerHub.NextEventForAsync(id, EventNames.Message, Live); // the customer's own copy, from its node

        await agentApi.PostMessage(id, "answer from node 2");
        Assert.Equal("answer from node 2", (await customerHub.NextEventForAsync(id, EventNames.Message, Live)).Payload.Str("content"));

        var edit = await customerApi.PatchJson($"/api/v1/tickets/{id}/messages/{question.Str("id")}", new { content = "hello, edited" });
        Assert.Equal(200, (int)edit.StatusCode);
        Assert.Equal("hello, edited", (await agentHub.NextEventForAsync(id, EventNames.EditMessage, Live)).Payload.Str("content"));

        var delete = await customerApi.DeleteAsync($"/api/v1/tickets/{id}/messages/{question.Str("id")}");
        Assert.True(delete.IsSuccessStatusCode, $"delete: {(int)delete.StatusCode}");
        Assert.Equal(question.Str("id"), (await agentHub.NextEventForAsync(id, EventNames.DeleteMessage, Live)).Payload.Str("id"));

        var close = await agentApi.PostJson($"/api/v1/tickets/{id}/close", new { reason = "solved" });
        Assert.Equal(200, (int)close.StatusCode);
        Assert.Equal("CLOSED", (await customerHub.NextEventForAsync(id, EventNames.TicketClosed, Live)).Payload.Str("status"));
    }

    [Fact]
    public async Task Internal_notes_written_on_one_node_never_reach_the_customer_on_the_other_and_nothing_arrives_twice()
    {
        await using var talk = await cluster.ConversationAsync("notes", cluster.Node(1), cluster.Node(2), agentHubOn: cluster.Node(2));
        var (_, agent, customerHub, _, customerApi, agentApi) = talk;
        var agentHub = talk.AgentHub!;
        var id = (await customerApi.CreateTicket("Notes")).Str("id");
        // Assigned and subscribed: the agent's connection is in two of the event's groups, and must hear it once.
        Assert.Equal(200, (int)(await agentApi.PatchJson($"/api/v1/tickets/{id}", new { assignee_id = agent.Id })).StatusCode);
        await agentHub.InvokeAsync("subscribe", id);

        await agentApi.PostMessage(id, "note: customer is on the old plan", @internal: true);
        await agentApi.PostMessage(id, "public answer");

        // Each node numbers for its own recipients: the customer's numbers cross Redis with the event.
        var answer = await customerHub.NextEventForAsync(id, EventNames.Message, Live);
        Assert.Equal(("public answer", 1L), (answer.Payload.Str("content"), answer.Seq));
        Assert.Equal("note: customer is on the old plan", (await agentHub.NextEventForAsync(id, EventNames.Message, Live)).Payload.Str("content"));
        var staffAnswer = await agentHub.NextEventForAsync(id, EventNames.Message, Live);
        Assert.Equal(("public answer", 2L), (staffAnswer.Payload.Str("content"), staffAnswer.Seq));
        await Task.Delay(1000);
        Assert.DoesNotContain(customerHub.Pending(), e => e.Name == EventNames.Message);
        Assert.DoesNotContain(agentHub.Pending(), e => e.Name == EventNames.Message);
    }

    [Fact]
    public async Task The_typing_throttle_holds_across_nodes_one_relay_per_window_for_two_tabs_on_two_nodes()
    {
        var customer = TestUser.Customer("cl-cust-typing");
        var agent = TestUser.Agent("cl-agent-typing");
        await using var customerHub = await ClusterFixture.HubAsync(cluster.Node(1), customer);
        await using var tab1 = await ClusterFixture.HubAsync(cluster.Node(1), agent);
        await using var tab2 = await ClusterFixture.HubAsync(cluster.Node(2), agent);
        using var customerApi = cluster.Client(cluster.Node(1), customer);
        var id = (await customerApi.CreateTicket("Typing")).Str("id");

        await tab1.InvokeAsync("typing", id);
        await tab2.InvokeAsync("typing", id);
        // The barrier comes from node 2 after tab 2's typing call returned: node 2 relays in order, so a typing event
        // from tab 2 would reach the customer on node 1 before it.
        using var agentApi = cluster.Client(cluster.Node(2), agent);
        await agentApi.PostMessage(id, "barrier");
        await customerHub.NextEventForAsync(id, EventNames.Message, Live);
        Assert.Single(customerHub.Pending(), e => e.Name == EventNames.Typing);
    }

    [Fact]
    public async Task The_connections_per_user_cap_counts_connections_on_every_node()
    {
        var agent = TestUser.Agent("cl-agent-cap");
        await using var first = await ClusterFixture.HubAsync(cluster.Node(1), agent);
        await using var second = await ClusterFixture.HubAsync(cluster.Node(1), agent);
        Assert.Equal(2, ClusterFixture.MaxConnectionsPerUser);

        await using var third = await HubClient.ConnectAsync(new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.Node(2), HubClient.Path + "?access_token=" + Uri.EscapeDataString(Tokens.For(agent)))));
        Assert.Contains("Too many connections", (await third.NextEventAsync(EventNames.Error, Live)).Payload.Str("message"));
        await third.Closed.WaitAsync(Live);

        await first.DisposeAsync(); // frees a place in the cluster-wide count
        await ClusterFixture.Eventually(async () =>
        {
            await using var again = await HubClient.ConnectAsync(new HubConnectionBuilder()
                .WithUrl(new Uri(cluster.Node(2), HubClient.Path + "?access_token=" + Uri.EscapeDataString(Tokens.For(agent)))));
            var next = await again.NextEventAsync(null, Live);
            return next.Name == EventNames.Authorized && await Task.WhenAny(again.Closed, Task.Delay(500)) != again.Closed;
        }, Live, "a connection on node 2 is accepted once one on node 1 closed");
    }

    [Fact]
    public async Task Redis_stopped_mid_conversation_fails_no_request_keeps_local_delivery_and_cross_node_delivery_resumes()
    {
        await using var talk = await cluster.ConversationAsync("redis", cluster.Node(1), cluster.Node(2), agentHubOn: cluster.Node(2));
        var (_, agent, customerHub, _, customerApi, agentApi) = talk;
        var agentHub = talk.AgentHub!;
        var id = (await customerApi.CreateTicket("Redis outage")).Str("id");
        await agentHub.NextEventForAsync(id, EventNames.TicketCreated, Live);
        await agentHub.InvokeAsync("subscribe", id);

        await cluster.RunAsync("stop-redis");
        try
        {
            await ClusterFixture.Eventually(async () => (await ClusterFixture.ReadyAsync(cluster.Node(1))) is (503, var body)
                && body.GetProperty("checks").GetProperty("redis_events").GetProperty("status").GetString() == "unhealthy",
                Live, "node 1 reports not-ready with the Redis reason");
            for (var i = 1; i <= 4; i++)
            {
                var response = await customerApi.PostJson($"/api/v1/tickets/{id}/messages", new { content = $"during outage {i}" });
                Assert.Equal(201, (int)response.StatusCode); // never a 5xx: Redis is not on the write path
                Assert.Equal($"during outage {i}", (await customerHub.NextEventForAsync(id, EventNames.Message, Live)).Payload.Str("content"));
            }
        }
        finally
        {
            await cluster.RunAsync("start-redis");
        }
        await ClusterFixture.Eventually(async () => (await ClusterFixture.ReadyAsync(cluster.Node(1))).Status == 200, Live, "node 1 ready again by itself");

        // Cross-node delivery resumes: pub/sub has no memory, so a probe is repeated until node 2 is subscribed again
        // (the events held back on node 1 are sent on reconnect too, but may land before node 2 re-subscribed).
        var probes = 0;
        await ClusterFixture.Eventually(async () =>
        {
            var content = $"after outage {++probes}";
            await customerApi.PostMessage(id, content);
            try
            {
                while (true)
                    if ((await agentHub.NextEventForAsync(id, EventNames.Message, TimeSpan.FromSeconds(3))).Payload.Str("content") == content) return true;
            }
            catch (TimeoutException) { return false; }
        }, Live, "a message from node 1 reaches the agent on node 2 live again");

        // Catch-up returns every message, each once, in order.
        var all = await (await agentApi.GetAsync($"/api/v1/tickets/{id}/messages?after_seq=0")).Body();
        string[] expected = ["during outage 1", "during outage 2", "during outage 3", "during outage 4", .. Enumerable.Range(1, probes).Select(i => $"after outage {i}")];
        Assert.Equal(expected, Items(all).Select(m => m.Str("content")).ToArray());
    }

    internal static IEnumerable<JsonElement> Items(JsonElement page) =>
        (page.ValueKind == JsonValueKind.Array ? page : page.GetProperty("items")).EnumerateArray();
}
