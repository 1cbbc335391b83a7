using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Gateway;

public sealed class ReconnectTests
{
    [Fact]
    public async Task Op_7_reconnect_resumes_on_the_resume_url_without_losing_events()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.ReconnectAsync();
        var id = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "during reconnect");
        await gateway.WaitForAsync<ResumedEvent>();
        await gateway.WaitForAsync<MessageCreateEvent>(e => e.Message.Id == id);

        Assert.Single(gateway.Of<MessageCreateEvent>());
        Assert.Equal("resume", h.Fake.Gateway.Connections[1].FirstOp);
        Assert.Equal("/gw-resume", h.Fake.Gateway.Connections[1].Path);
    }

    [Fact]
    public async Task A_dropped_tcp_connection_is_resumed()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        h.Fake.Gateway.DropTcp();
        var id = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "after the drop");

        await gateway.WaitForAsync<MessageCreateEvent>(e => e.Message.Id == id);
        Assert.Equal((1, 1), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.ResumeCount));
        Assert.Single(gateway.Of<MessageCreateEvent>());
    }

    [Fact]
    public async Task Invalid_session_true_resumes()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.InvalidSessionAsync(resumable: true);

        await gateway.WaitForAsync<ResumedEvent>();
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
    }

    [Fact]
    public async Task Invalid_session_false_identifies_again_after_a_pause()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var invalidatedAt = h.Fake.Now;

        await h.Fake.Gateway.InvalidSessionAsync(resumable: false);

        await gateway.WaitForCountAsync<ReadyEvent>(2);
        Assert.Equal((2, 0), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.ResumeCount));
        Assert.Equal("/gw", h.Fake.Gateway.Connections[1].Path);
        Assert.Empty(gateway.Of<ResumedEvent>());
        Assert.True(h.Fake.Now - invalidatedAt >= h.Options.InvalidSessionDelayMin);
    }

    [Fact]
    public async Task Events_from_before_a_fresh_identify_are_not_replayed_only_a_resume_replays()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway(o =>
        {
            o.InvalidSessionDelayMin = TimeSpan.FromMilliseconds(600);
            o.InvalidSessionDelayMax = TimeSpan.FromMilliseconds(700);
        });
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.InvalidSessionAsync(resumable: false);
        await Eventually.UntilAsync(() => !h.Fake.Gateway.HasIdentifiedConnection, "the client to leave");
        var lost = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "while no session existed");
        await gateway.WaitForCountAsync<ReadyEvent>(2);
        var after = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "after READY");

        await gateway.WaitForAsync<MessageCreateEvent>(e => e.Message.Id == after);
        Assert.DoesNotContain(gateway.Of<MessageCreateEvent>(), e => e.Message.Id == lost);
    }

    [Theory]
    [InlineData(1000)] // Discord closes with 1000/1001 when it moves a connection; the session survives that.
    [InlineData(1001)]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4003)]
    [InlineData(4005)]
    [InlineData(4008)]
    public async Task A_resumable_close_code_leads_to_a_resume(int code)
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.CloseAsync(code);

        await gateway.WaitForAsync<ResumedEvent>();
        Assert.Equal((1, 1), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.ResumeCount));
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task A_session_ending_close_code_leads_to_a_fresh_identify(int code)
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.CloseAsync(code);

        await gateway.WaitForCountAsync<ReadyEvent>(2);
        Assert.Equal((2, 0), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.ResumeCount));
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task A_fatal_close_code_stops_the_client_without_reconnecting(int code)
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.CloseAsync(code);

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => gateway.Client.Completion);
        Assert.Equal(code, error.CloseCode);
        Assert.Single(h.Fake.Gateway.Connections);
    }
}
