namespace SupportTicket.FakeDiscord.Store;

/// <summary>Increasing snowflakes with a real timestamp part, like Discord's.</summary>
public sealed class Snowflakes
{
    private const long DiscordEpochMs = 1420070400000;
    private long _last;

    public ulong Next()
    {
        var candidate = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - DiscordEpochMs) << 22;
        long current, next;
        do
        {
            current = Interlocked.Read(ref _last);
            next = Math.Max(candidate, current + 1);
        }
        while (Interlocked.CompareExchange(ref _last, next, current) != current);
        return (ulong)next;
    }
}
