namespace SupportTicket.Server.Webhooks;

public static class WebhookBackoff
{
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    /// <summary>base × 2^(attempts−1), at most an hour, then ±20 % jitter so a recovering receiver is not hit in waves.</summary>
    public static TimeSpan Delay(int attempts, int baseMs)
    {
        var ms = Math.Min(baseMs * Math.Pow(2, Math.Min(attempts - 1, 30)), Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
