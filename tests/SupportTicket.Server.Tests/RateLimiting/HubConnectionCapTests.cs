using Microsoft.Extensions.Options;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Tests.RateLimiting;

public sealed class HubConnectionCapTests
{
    private sealed class Fixed(RateLimitOptions value) : IOptionsMonitor<RateLimitOptions>
    {
        public RateLimitOptions CurrentValue => value;
        public RateLimitOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<RateLimitOptions, string?> listener) => null;
    }

    private static HubConnectionCap Cap(int max) => new(o => o.MaxHubConnectionsPerUser, new Fixed(new RateLimitOptions { MaxHubConnectionsPerUser = max }));

    [Fact]
    public void A_user_at_the_cap_cannot_add_another_connection_until_one_closes()
    {
        var cap = Cap(2);
        Assert.True(cap.TryAdd("c1", "u:ann"));
        Assert.True(cap.TryAdd("c2", "u:ann"));

        Assert.False(cap.TryAdd("c3", "u:ann"));
        cap.Remove("c1");
        Assert.True(cap.TryAdd("c3", "u:ann"));
    }

    [Fact]
    public void Another_user_is_not_held_back_by_the_first()
    {
        var cap = Cap(1);
        cap.TryAdd("c1", "u:ann");

        Assert.True(cap.TryAdd("c2", "u:bob"));
    }

    [Fact]
    public void Re_authorizing_a_connection_as_someone_else_moves_it()
    {
        var cap = Cap(1);
        cap.TryAdd("c1", "u:ann");

        Assert.True(cap.TryAdd("c1", "u:bob"));
        Assert.Equal(0, cap.CountFor("u:ann"));
        Assert.Equal(1, cap.CountFor("u:bob"));
    }

    [Fact]
    public void The_same_connection_authorizing_twice_counts_once()
    {
        var cap = Cap(1);
        Assert.True(cap.TryAdd("c1", "u:ann"));

        Assert.True(cap.TryAdd("c1", "u:ann"));
        Assert.Equal(1, cap.CountFor("u:ann"));
    }
}
