using System.Text.Json.Nodes;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Gateway;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task Heartbeats_carry_the_last_sequence_number()
    {
        await using var h = await Harness.StartAsync(new() { HeartbeatIntervalMs = 300 });
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.DispatchAsync("GUILD_UPDATE", new JsonObject());
        await gateway.WaitForAsync<UnknownDispatchEvent>();

        await Eventually.UntilAsync(() => h.Fake.Gateway.HeartbeatSequences.LastOrDefault() == h.Fake.Gateway.LastSequence, "a heartbeat with the last s");
        Assert.DoesNotContain(h.Fake.Gateway.HeartbeatSequences, d => d > h.Fake.Gateway.LastSequence);
    }

    [Fact]
    public async Task A_heartbeat_request_is_answered_at_once()
    {
        await using var h = await Harness.StartAsync(new() { HeartbeatIntervalMs = 60_000 });
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var before = h.Fake.Gateway.HeartbeatSequences.Count;

        await h.Fake.Gateway.SendHeartbeatRequestAsync();

        await Eventually.UntilAsync(() => h.Fake.Gateway.HeartbeatSequences.Count > before, "the requested heartbeat", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_zombie_connection_is_abandoned_and_resumed_with_the_missed_events_replayed()
    {
        await using var h = await Harness.StartAsync(new() { HeartbeatIntervalMs = 500 });
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        h.Fake.Gateway.StopAcking();
        var missed = new List<ulong>();
        for (var i = 0; i < 3; i++)
        {
            missed.Add(await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, $"lost in transit {i}"));
        }

        await gateway.WaitForAsync<ResumedEvent>();
        await gateway.WaitForCountAsync<MessageCreateEvent>(3);
        Assert.Equal(missed, gateway.Of<MessageCreateEvent>().Select(e => e.Message.Id));
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
        Assert.InRange(h.Fake.Gateway.ResumeCount, 1, 3);
        Assert.Equal("/gw-resume", h.Fake.Gateway.Connections[1].Path);
    }
}

public sealed class GatewaySendLimitTests
{
    [Fact]
    public async Task The_client_stays_under_the_gateway_send_limit_instead_of_being_closed_with_4008()
    {
        // 200 ms heartbeats plus Identify are 6 sends in the first second against a limit of 5.
        await using var h = await Harness.StartAsync(new()
        {
            HeartbeatIntervalMs = 200,
            GatewaySendLimit = 5,
            GatewaySendWindow = TimeSpan.FromSeconds(1),
        });
        await using var gateway = h.StartGateway(o =>
        {
            o.GatewaySendLimit = 4;
            o.GatewaySendWindow = TimeSpan.FromSeconds(1);
        });

        await Eventually.UntilAsync(() => h.Fake.Gateway.HeartbeatSequences.Count >= 12, "12 heartbeats");

        Assert.DoesNotContain(h.Fake.Gateway.Connections, c => c.ServerCloseCode == 4008);
    }
}
