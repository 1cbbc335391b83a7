using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>
/// Issue #24 item 3: a leader frozen past its lease (SIGSTOP, not killed) comes back to find another node leading.
/// It must post nothing more (its claims are fenced by the lease epoch, its Discord calls refused) and close its
/// gateway session, so Discord sees every message once and one bot listening. In the cluster collection so it never
/// runs beside the other cluster tests.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterLeaseDrillTests(DiscordClusterFixture discord) : IClassFixture<DiscordClusterFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_leader_paused_past_its_lease_doubles_no_post_and_leaves_one_gateway_session()
    {
        var cluster = discord.Cluster;
        var fake = discord.Fake;
        var leader = 0;
        await ClusterFixture.Eventually(async () => (leader = await LeaderAsync()) != 0 && fake.Gateway.OpenIdentifiedConnections == 1,
            Within, "one leader and its gateway session");
        var follower = 3 - leader;
        var api = cluster.Client(cluster.Node(follower), TestUser.Customer("drill-cust"));
        var ticketId = (await api.CreateTicket("Lease drill")).Str("id");
        ulong channel = 0;
        await ClusterFixture.Eventually(() => Task.FromResult(discord.ChannelOf(ticketId) is { } c && (channel = c) != 0), Within, "the ticket's channel");
        await api.PostMessage(ticketId, "before the pause");
        await ClusterFixture.Eventually(() => Task.FromResult(discord.WebhookTexts(channel).Count == 1), Within, "the first message");

        await cluster.RunAsync("pause-node", leader.ToString());
        try
        {
            for (var i = 1; i <= 3; i++) await api.PostMessage(ticketId, $"while the leader is frozen {i}");
            await ClusterFixture.Eventually(async () => await LeaderAsync() == follower, Within, $"node{follower} takes the lease over");
            await ClusterFixture.Eventually(() => Task.FromResult(discord.WebhookTexts(channel).Count == 4), Within, "the new leader drains");
        }
        finally
        {
            await cluster.RunAsync("resume-node", leader.ToString());
        }

        await api.PostMessage(ticketId, "after the old leader is back");
        await ClusterFixture.Eventually(() => Task.FromResult(discord.WebhookTexts(channel).Count >= 5), Within, "the last message");
        // The resumed node steps down on its first look at the clock; give a late post of its own every chance to show.
        await ClusterFixture.Eventually(async () => (await ClusterFixture.ReadyAsync(cluster.Node(leader))).Status == 200, Within, "the old leader answering");
        await Task.Delay(TimeSpan.FromSeconds(DiscordClusterFixture.LeaseTtlSeconds));

        Assert.Equal(["before the pause", "while the leader is frozen 1", "while the leader is frozen 2", "while the leader is frozen 3", "after the old leader is back"],
            discord.WebhookTexts(channel));
        Assert.Equal(1, fake.Gateway.OpenIdentifiedConnections);
        Assert.Equal(follower, await LeaderAsync());
    }

    /// <summary>The node both nodes agree leads (0 while they do not agree or one does not answer).</summary>
    private async Task<int> LeaderAsync()
    {
        var views = new List<string>();
        foreach (var n in new[] { 1, 2 })
        {
            try
            {
                var (_, body) = await ClusterFixture.ReadyAsync(discord.Cluster.Node(n));
                views.Add(body.GetProperty("checks").GetProperty("leader").GetProperty("description").GetString()!);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                views.Add("");
            }
        }
        return views switch
        {
            ["leader: node1 (this node)", _] when views[1] is "leader: node1 (this node: node2)" or "" => 1,
            [_, "leader: node2 (this node)"] when views[0] is "leader: node2 (this node: node1)" or "" => 2,
            _ => 0,
        };
    }
}
