using System.ComponentModel.DataAnnotations;

namespace SupportTicket.Server.EventFeed;

public sealed class EventFeedOptions
{
    public const string Section = "Events";

    /// <summary>Events older than this are deleted by <see cref="EventRetention"/>; the feed cannot replay further back.</summary>
    [Range(1, 3650, ErrorMessage = "Events:RetentionDays must be between 1 and 3650")]
    public int RetentionDays { get; set; } = 30;
}
