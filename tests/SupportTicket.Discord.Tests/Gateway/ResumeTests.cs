using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Gateway;

/// <summary>Hello timeout, resume URL fallback, and a stop that keeps the session.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task A_connection_without_Hello_is_abandoned_after_the_hello_timeout()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.Gateway.SilentConnections = 1;
        var started = h.Fake.Now;
        await using var gateway = h.StartGateway(o => o.HelloTimeout = TimeSpan.FromMilliseconds(300));

        await gateway.WaitForAsync<ReadyEvent>();

        Assert.Equal(2, h.Fake.Gateway.Connections.Count);
        Assert.Null(h.Fake.Gateway.Connections[0].FirstOp);
        Assert.True(h.Fake.Now - started >= TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
    }

    [Fact]
    public async Task When_the_resume_url_keeps_failing_the_session_is_resumed_on_the_gateway_url()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway(o => o.ResumeAttemptsBeforeFallback = 2);
        await gateway.WaitForAsync<GuildCreateEvent>();
        h.Fake.Gateway.ResumePathDown = true;

        h.Fake.Gateway.DropTcp();
        var id = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "while the resume url was down");

        await gateway.WaitForAsync<ResumedEvent>();
        await gateway.WaitForAsync<MessageCreateEvent>(e => e.Message.Id == id);
        Assert.Equal(2, h.Fake.Gateway.RefusedResumeConnections);
        var last = h.Fake.Gateway.Connections[^1];
        Assert.Equal(("/gw", "resume"), (last.Path, last.FirstOp));
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
    }

    [Fact]
    public async Task A_resumable_stop_closes_with_4000_and_a_new_client_resumes_the_session_with_missed_events()
    {
        await using var h = await Harness.StartAsync();
        var first = h.StartGateway();
        await first.WaitForAsync<GuildCreateEvent>();

        await first.Client.StopAsync(resumable: true);
        var session = first.Client.Session;
        await first.DisposeAsync();
        var missed = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "typed during the restart");
        await using var second = h.StartGateway(resumeFrom: session);

        await second.WaitForAsync<ResumedEvent>();
        await second.WaitForAsync<MessageCreateEvent>(e => e.Message.Id == missed);
        Assert.Equal(4000, h.Fake.Gateway.Connections[0].ClientCloseCode);
        Assert.Equal((1, 1), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.ResumeCount));
        Assert.Equal(("/gw-resume", "resume"), (h.Fake.Gateway.Connections[1].Path, h.Fake.Gateway.Connections[1].FirstOp));
    }

    [Fact]
    public async Task A_plain_stop_closes_with_1000_and_ends_the_session_on_the_fake()
    {
        await using var h = await Harness.StartAsync();
        var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var session = gateway.Client.Session!;

        await gateway.Client.StopAsync();
        await gateway.DisposeAsync();
        await Eventually.UntilAsync(() => h.Fake.Gateway.Connections[0].Ended, "the fake to see the close");
        await using var next = h.StartGateway(resumeFrom: session);

        await next.WaitForCountAsync<ReadyEvent>(1);
        Assert.Equal(1000, h.Fake.Gateway.Connections[0].ClientCloseCode);
        Assert.Equal((2, 1), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.ResumeCount));
    }
}
