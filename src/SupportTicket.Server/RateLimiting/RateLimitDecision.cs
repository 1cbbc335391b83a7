namespace SupportTicket.Server.RateLimiting;

/// <summary>The outcome of one check, with everything the headers and the 429 body need.</summary>
public sealed record RateLimitDecision(string Policy, bool Allowed, int Limit, long Count, TimeSpan ResetAfter, int WindowSeconds)
{
    public int Remaining => (int)Math.Clamp(Limit - Count, 0, Limit);

    /// <summary>Whole seconds until the window ends, never 0 while it is running, so "try again in N s" is never "0 s".</summary>
    public int ResetSeconds => Math.Max(1, (int)Math.Ceiling(ResetAfter.TotalSeconds));

    /// <summary>The seed's message, with the real numbers.</summary>
    public string Message => $"You are being ratelimited only {Limit} request are allowed per {WindowSeconds} seconds";
}
