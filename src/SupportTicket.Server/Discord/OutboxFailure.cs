using System.Net;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Server.Discord;

public enum OutboxVerdict
{
    /// <summary>Try again at the given time (429 retry_after, or backoff after a 5xx/timeout).</summary>
    Retry,
    /// <summary>Discord refused it for good (400/403/404): keep the row for operators, never retry it.</summary>
    Park,
    /// <summary>The token is bad (401): stop every Discord call.</summary>
    Stop,
}

/// <summary>The error classes of issue #12, in one place.</summary>
public static class OutboxFailure
{
    public static (OutboxVerdict Verdict, TimeSpan Delay) Classify(Exception e, int attempts, TimeSpan retryBase, TimeSpan retryMax) => e switch
    {
        DiscordUnauthorizedException => (OutboxVerdict.Stop, TimeSpan.Zero),
        DiscordRateLimitedException r => (OutboxVerdict.Retry, r.RetryAfter),
        DiscordRestException { Status: HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.RequestEntityTooLarge } => (OutboxVerdict.Park, TimeSpan.Zero),
        MirrorRefusedException => (OutboxVerdict.Park, TimeSpan.Zero),
        // 5xx, transport errors, timeouts and anything unexpected: back off, 1, 2, 4 … times the base, capped.
        _ => (OutboxVerdict.Retry, Backoff(attempts, retryBase, retryMax)),
    };

    public static TimeSpan Backoff(int attempts, TimeSpan retryBase, TimeSpan retryMax)
    {
        var factor = Math.Pow(2, Math.Min(Math.Max(attempts - 1, 0), 20));
        var delay = retryBase * factor;
        return delay > retryMax ? retryMax : delay;
    }
}

/// <summary>The bot cannot mirror this change and retrying will not help (e.g. the guild's 500-channel limit).</summary>
public sealed class MirrorRefusedException(string message) : Exception(message);
