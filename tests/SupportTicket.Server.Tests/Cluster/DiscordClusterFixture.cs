extern alias fake;
using System.Globalization;
using System.Text.Json.Nodes;
using fake::SupportTicket.FakeDiscord;

namespace SupportTicket.Server.Tests.Cluster;

/// <summary>
/// The two-node cluster with the Discord bot on, against a fake Discord in the test process: only the lease holder
/// may talk to it. A short lease (4 s, checked every second) so the drill's takeover fits in a test.
/// </summary>
public sealed class DiscordClusterFixture : IAsyncLifetime
{
    public const int LeaseTtlSeconds = 4;

    public FakeDiscordServer Fake { get; } = new(new FakeDiscordOptions());

    public ClusterFixture Cluster { get; } = new();

    public async Task InitializeAsync()
    {
        await Fake.StartAsync();
        var urgent = Category("URGENT");
        var critical = Category("CRITICAL");
        var overflow = Fake.AddChannel("OVERFLOW", 4, null);
        var transcripts = Fake.AddChannel("transcripts", 0, null);
        var env = Cluster.Environment;
        env["Discord__Token"] = Fake.Options.Token;
        env["Discord__ApiBaseUrl"] = Fake.ApiBaseUrl;
        env["Discord__GuildId"] = Id(Fake.GuildId);
        env["Discord__GeneralCategoryId"] = Id(Fake.GeneralCategoryId);
        env["Discord__UrgentCategoryId"] = Id(urgent);
        env["Discord__CriticalCategoryId"] = Id(critical);
        env["Discord__OverflowCategoryId"] = Id(overflow);
        env["Discord__ArchiveCategoryId"] = Id(Fake.ArchiveCategoryId);
        env["Discord__TranscriptChannelId"] = Id(transcripts);
        env["Discord__SupportTeamRoleId"] = "900000000000000001";
        env["Discord__OutboxPollMs"] = "200";
        env["Discord__RetryBaseMs"] = "200";
        env["Discord__RetryMaxMs"] = "1000";
        env["Discord__ReconnectDelay"] = "00:00:00.200";
        env["Discord__IdentifyInterval"] = "00:00:00.100";
        env["Cluster__LeaseCheckSeconds"] = "1";
        env["Cluster__LeaseTtlSeconds"] = LeaseTtlSeconds.ToString(CultureInfo.InvariantCulture);
        await Cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Fake.DisposeAsync();
    }

    /// <summary>The ticket's channel, found by the ticket id in its topic; null until the bot made it.</summary>
    public ulong? ChannelOf(string ticketId)
    {
        lock (Fake.Store.Gate)
            return Fake.Store.Channels.Values.FirstOrDefault(c => ((string?)c["topic"])?.Contains(ticketId, StringComparison.Ordinal) == true) is JsonObject c
                ? ulong.Parse((string)c["id"]!, CultureInfo.InvariantCulture)
                : null;
    }

    /// <summary>What the channel's webhook posted (customers' words), oldest first.</summary>
    public IReadOnlyList<string> WebhookTexts(ulong channel) => Fake.Store.MessagesIn(channel)
        .Where(m => m["webhook_id"] is not null).OrderBy(m => ulong.Parse((string)m["id"]!, CultureInfo.InvariantCulture))
        .Select(m => (string)m["content"]!).ToList();

    private ulong Category(string name)
    {
        lock (Fake.Store.Gate)
            return ulong.Parse((string)Fake.Store.Channels.Values.Single(c => (string?)c["name"] == name && (int)c["type"]! == 4)["id"]!, CultureInfo.InvariantCulture);
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
