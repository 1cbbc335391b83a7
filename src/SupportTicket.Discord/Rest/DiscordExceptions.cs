using System.Net;

namespace SupportTicket.Discord.Rest;

/// <summary>Discord answered with an error body <c>{code, message}</c>.</summary>
public class DiscordRestException(HttpStatusCode status, int code, string message, string route)
    : Exception($"{route}: {(int)status} {message} (code {code})")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's JSON error code, e.g. 10003 unknown channel, 50035 invalid form body.</summary>
    public int Code { get; } = code;

    public string Route { get; } = route;
}

/// <summary>The token was rejected; the client refuses all further REST calls until it is recreated.</summary>
public sealed class DiscordUnauthorizedException(string route)
    : DiscordRestException(HttpStatusCode.Unauthorized, 0, "401: Unauthorized", route);

/// <summary>
/// A rate-limit wait was longer than <see cref="DiscordClientOptions.MaxRetryAfter"/>; the call was not sent so the
/// bucket's queue is not blocked. The caller can schedule it after <see cref="RetryAfter"/>.
/// </summary>
public sealed class DiscordRateLimitedException(string route, TimeSpan retryAfter, string? scope, bool sublimit)
    : Exception($"{route}: rate limited for {retryAfter.TotalSeconds:0.###} s (scope {scope ?? "bucket"}{(sublimit ? ", sublimit" : "")})")
{
    public string Route { get; } = route;
    public TimeSpan RetryAfter { get; } = retryAfter;
    public string? Scope { get; } = scope;
    public bool Sublimit { get; } = sublimit;
}
