using System.ComponentModel.DataAnnotations;

namespace SupportTicket.Server.Realtime;

public sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    [Range(1, 3600, ErrorMessage = "Realtime:AuthorizeTimeoutSeconds must be between 1 and 3600")]
    public int AuthorizeTimeoutSeconds { get; set; } = 10;

    [Range(0, 60, ErrorMessage = "Realtime:TypingThrottleSeconds must be between 0 and 60")]
    public double TypingThrottleSeconds { get; set; } = 2;

    // Events queued for one connection before it counts as too slow and is closed (it reconnects and catches up by
    // seq).
    [Range(1, 1_000_000, ErrorMessage = "Realtime:ConnectionQueueLength must be between 1 and 1000000")]
    public int ConnectionQueueLength { get; set; } = 1000;

    [Range(1, 10_000_000, ErrorMessage = "Realtime:StatefulReconnectBufferBytes must be between 1 and 10000000")]
    public long StatefulReconnectBufferBytes { get; set; } = 256 * 1024;
}
