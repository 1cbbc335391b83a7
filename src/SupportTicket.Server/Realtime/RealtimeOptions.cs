using System.ComponentModel.DataAnnotations;

namespace SupportTicket.Server.Realtime;

public sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    /// <summary>A connection that has not authorized within this time is closed.</summary>
    [Range(1, 3600, ErrorMessage = "Realtime:AuthorizeTimeoutSeconds must be between 1 and 3600")]
    public int AuthorizeTimeoutSeconds { get; set; } = 10;

    /// <summary>At most one relayed typing event per user and ticket within this window.</summary>
    [Range(0, 60, ErrorMessage = "Realtime:TypingThrottleSeconds must be between 0 and 60")]
    public double TypingThrottleSeconds { get; set; } = 2;

    /// <summary>Events queued for one connection before it counts as too slow and is closed (it reconnects and catches up by seq).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Realtime:ConnectionQueueLength must be between 1 and 1000000")]
    public int ConnectionQueueLength { get; set; } = 1000;

    /// <summary>Messages SignalR keeps per connection so a short drop with stateful reconnect loses nothing.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Realtime:StatefulReconnectBufferBytes must be between 1 and 10000000")]
    public long StatefulReconnectBufferBytes { get; set; } = 256 * 1024;
}
