using System.Net;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Server.Discord;

public enum OutboxVerdict
{
    Retry,
    Park,
    Stop,
}

public static class OutboxFailure
{
    public static (OutboxVerdict Verdict, TimeSpan Delay) Classify(Exception e, int attempts, TimeSpan retryBase, TimeSpan retryMax) => e switch
    {
        DiscordUnauthorizedException => (OutboxVerdict.Stop, TimeSpan.Zero),
        DiscordRateLimitedException r => (OutboxVerdict.Retry, r.RetryAfter),
        DiscordRestException { Status: HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.RequestEntityTooLarge } => (OutboxVerdict.Park, TimeSpan.Zero),
        MirrorRefusedException => (OutboxVerdict.Park, TimeSpan.Zero),
        _ => (OutboxVerdict.Retry, Backoff(attempts, retryBase, retryMax)),
    };

    public static TimeSpan Backoff(int attempts, TimeSpan retryBase, TimeSpan retryMax)
    {
        var factor = Math.Pow(2, Math.Min(Math.Max(attempts - 1, 0), 20));
        var delay = retryBase * factor;
        return delay > retryMax ? retryMax : delay;
    }
}

public class MirrorRefusedException(string message) : Exception(message);

/// <summary>Discord refused a ticket channel at one of its channel limits: <see cref="Limit"/> is "guild" (500, 30013) or "category" (50).</summary>
public sealed class ChannelLimitException(string limit, string message) : MirrorRefusedException(message)
{
    public const string Guild = "guild";
    public const string Category = "category";

    public string Limit => limit;
}
