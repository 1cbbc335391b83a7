using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Tests.RateLimiting;

public sealed class LocalRateLimitStoreTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Hits_add_up_within_the_window_that_starts_at_the_first_hit()
    {
        var clock = new ManualClock();
        var store = new LocalRateLimitStore(clock);

        await store.HitAsync("k", Minute, 1, default);
        clock.Now += TimeSpan.FromSeconds(20);
        var second = await store.HitAsync("k", Minute, 1, default);

        Assert.Equal(2, second.Count);
        Assert.Equal(TimeSpan.FromSeconds(40), second.ResetAfter);
    }

    [Fact]
    public async Task A_new_window_starts_from_zero_once_the_old_one_ended()
    {
        var clock = new ManualClock();
        var store = new LocalRateLimitStore(clock);
        for (var i = 0; i < 5; i++) await store.HitAsync("k", Minute, 1, default);

        clock.Now += Minute;
        var next = await store.HitAsync("k", Minute, 1, default);

        Assert.Equal(1, next.Count);
        Assert.Equal(Minute, next.ResetAfter);
    }

    [Fact]
    public async Task A_peek_reads_the_count_without_adding_to_it()
    {
        var store = new LocalRateLimitStore(new ManualClock());
        await store.HitAsync("k", Minute, 1, default);

        var peek = await store.HitAsync("k", Minute, 0, default);
        var unknown = await store.HitAsync("other", Minute, 0, default);

        Assert.Equal(1, peek.Count);
        Assert.Equal(1, (await store.HitAsync("k", Minute, 0, default)).Count);
        Assert.Equal(0, unknown.Count);
    }

    [Fact]
    public async Task Keys_count_independently()
    {
        var store = new LocalRateLimitStore(new ManualClock());
        await store.HitAsync("a", Minute, 1, default);
        await store.HitAsync("a", Minute, 1, default);

        Assert.Equal(1, (await store.HitAsync("b", Minute, 1, default)).Count);
    }
}
