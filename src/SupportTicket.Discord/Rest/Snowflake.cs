namespace SupportTicket.Discord.Rest;

internal static class Snowflake
{
    private const long DiscordEpochMs = 1420070400000;

    public static DateTimeOffset Timestamp(ulong id) => DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMs);

    public static TimeSpan Age(ulong id) => DateTimeOffset.UtcNow - Timestamp(id);
}
