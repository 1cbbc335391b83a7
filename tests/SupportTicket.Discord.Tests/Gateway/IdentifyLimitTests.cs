using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Gateway;

/// <summary>Identifies are spaced, budgeted by session_start_limit, and slowed down when sessions keep dying.</summary>
public sealed class IdentifyLimitTests
{
    [Fact]
    public async Task A_second_identify_waits_for_the_identify_interval()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, MinIdentifyInterval = TimeSpan.FromMilliseconds(500) });
        await using var gateway = h.StartGateway(o => o.IdentifyInterval = TimeSpan.FromMilliseconds(600));
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.InvalidSessionAsync(resumable: false);

        await gateway.WaitForCountAsync<ReadyEvent>(2);
        var times = h.Fake.Gateway.IdentifyTimes;
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(550), $"identified again after {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.Equal(0, h.Fake.Gateway.TooFastIdentifies);
    }

    [Fact]
    public async Task Sessions_dying_right_after_READY_make_each_next_identify_wait_twice_as_long()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway(o =>
        {
            o.CrashLoopDelay = TimeSpan.FromMilliseconds(250);
            o.StableSessionTime = TimeSpan.FromSeconds(30);
        });

        for (var i = 1; i <= 3; i++)
        {
            await gateway.WaitForCountAsync<ReadyEvent>(i);
            await h.Fake.Gateway.InvalidSessionAsync(resumable: false);
        }

        await gateway.WaitForCountAsync<ReadyEvent>(4);
        var gaps = h.Fake.Gateway.IdentifyTimes.Zip(h.Fake.Gateway.IdentifyTimes.Skip(1), (a, b) => (int)(b - a).TotalMilliseconds).ToList();
        // 250, 500, 1000 ms after the previous Identify was sent; slack for that Identify's own trip to the fake.
        Assert.True(gaps[0] >= 200 && gaps[1] >= 450 && gaps[2] >= 950, $"gaps {string.Join(", ", gaps)} ms");
        Assert.Equal(3, gateway.Client.ConsecutiveShortSessions);
    }

    [Fact]
    public async Task A_session_that_lived_long_enough_resets_the_crash_loop_pause()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway(o =>
        {
            o.CrashLoopDelay = TimeSpan.FromSeconds(5);
            o.StableSessionTime = TimeSpan.FromMilliseconds(200);
        });
        await gateway.WaitForAsync<GuildCreateEvent>();
        await Task.Delay(300);

        await h.Fake.Gateway.InvalidSessionAsync(resumable: false);

        await gateway.WaitForCountAsync<ReadyEvent>(2, TimeSpan.FromSeconds(3));
        Assert.Equal(0, gateway.Client.ConsecutiveShortSessions);
    }

    [Fact]
    public async Task An_exhausted_session_start_budget_is_waited_out_instead_of_spent()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions
        {
            HeartbeatIntervalMs = 5000,
            SessionStartTotal = 1,
            SessionStartResetAfter = TimeSpan.FromMilliseconds(1200),
        });
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.InvalidSessionAsync(resumable: false);

        await gateway.WaitForCountAsync<ReadyEvent>(2);
        var times = h.Fake.Gateway.IdentifyTimes;
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(1200));
        Assert.False(h.Fake.Gateway.TokenReset);
        Assert.Equal(0, gateway.Client.SessionStartLimit!.Remaining);
    }

    [Fact]
    public async Task Gateway_bot_reports_the_remaining_session_starts()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, SessionStartTotal = 5 });
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        var info = await h.Rest.GetGatewayBotAsync();

        Assert.Equal((5, 4, 1), (info.SessionStartLimit.Total, info.SessionStartLimit.Remaining, info.SessionStartLimit.MaxConcurrency));
        Assert.InRange(info.SessionStartLimit.ResetAfter, 86_000_000, 86_400_000);
    }
}
