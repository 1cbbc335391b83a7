namespace SupportTicket.Server.RateLimiting;

public sealed record RateLimitDecision(string Policy, bool Allowed, int Limit, long Count, TimeSpan ResetAfter, int WindowSeconds)
{
    public int Remaining => (int)Math.Clamp(Limit - Count, 0, Limit);

    // Whole seconds until the window ends, never 0 while it is running, so "try again in N s" is never "0 s".
    public int ResetSeconds => Math.Max(1, (int)Math.Ceiling(ResetAfter.TotalSeconds));

    public string Message => $"You are being ratelimited only {Limit} request are allowed per {WindowSeconds} seconds";
}
