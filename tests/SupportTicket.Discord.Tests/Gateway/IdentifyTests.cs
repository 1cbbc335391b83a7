using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Gateway;

public sealed class IdentifyTests
{
    [Fact]
    public async Task The_client_identifies_with_intents_33281_and_receives_READY()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();

        var ready = await gateway.WaitForAsync<ReadyEvent>();

        Assert.Equal(h.Fake.BotUserId, ready.User.Id);
        Assert.Equal(h.Fake.ApplicationId, ready.ApplicationId);
        Assert.Equal(h.Fake.ResumeGatewayUrl, ready.ResumeGatewayUrl);
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
        var connection = Assert.Single(h.Fake.Gateway.Connections);
        Assert.Equal(("/gw", "?v=10&encoding=json", "identify"), (connection.Path, connection.Query, connection.FirstOp));
    }

    [Fact]
    public async Task A_READY_split_over_many_frames_is_read_as_one_message()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { ReadyFrameSize = 7 });
        await using var gateway = h.StartGateway();

        var ready = await gateway.WaitForAsync<ReadyEvent>();

        Assert.Equal(h.Fake.Gateway.SessionId, ready.SessionId);
    }

    [Fact]
    public async Task GUILD_CREATE_follows_READY_with_the_guilds_channels()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();

        var guild = await gateway.WaitForAsync<GuildCreateEvent>();

        Assert.Equal(h.Fake.GuildId, guild.Guild.Id);
        Assert.Contains(guild.Guild.Channels!, c => c.Id == h.Fake.GeneralCategoryId && c.Type == 4);
        Assert.IsType<ReadyEvent>(gateway.Events[0]);
    }

    [Fact]
    public async Task A_wrong_token_ends_the_client_with_close_code_4004()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway(o => o.Token = "wrong");

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => gateway.Client.Completion);

        Assert.Equal(4004, error.CloseCode);
    }

    [Fact]
    public async Task Message_content_intent_not_enabled_in_the_portal_ends_the_client_with_4014()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MessageContentAllowed = false });
        await using var gateway = h.StartGateway();

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => gateway.Client.Completion);

        Assert.Equal(4014, error.CloseCode);
        await Eventually.UntilAsync(() => gateway.StreamCompleted, "the event stream to complete");
        Assert.IsType<DiscordGatewayException>(gateway.StreamError);
        Assert.Single(h.Fake.Gateway.Connections);
    }

    [Fact]
    public async Task Cancellation_closes_the_connection_and_completes_the_event_stream()
    {
        await using var h = await Harness.StartAsync();
        var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await gateway.Client.StopAsync();

        await Eventually.UntilAsync(() => gateway.StreamCompleted, "the event stream to complete");
        Assert.Null(gateway.StreamError);
        await Eventually.UntilAsync(() => h.Fake.Gateway.Connections.Single().Ended, "the fake to see the socket close");
        Assert.Equal(1000, h.Fake.Gateway.Connections.Single().ClientCloseCode);
        await gateway.DisposeAsync();
    }
}
