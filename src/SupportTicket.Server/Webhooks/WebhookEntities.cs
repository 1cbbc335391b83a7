namespace SupportTicket.Server.Webhooks;

/// <summary>A subscriber (from configuration or the admin API), with its own position in the event feed.</summary>
public sealed class WebhookEndpoint
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    /// <summary>Comma list of event types; empty for all.</summary>
    public string Events { get; set; } = "";
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>The signing secret. Kept readable: every attempt is signed with it (protect the database accordingly).</summary>
    public string Secret { get; set; } = "";
    /// <summary>The secret before the last rotation: it signs beside the new one until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }
    /// <summary>Unix seconds.</summary>
    public long? PreviousSecretExpiresAt { get; set; }
    /// <summary><see cref="WebhookSources.Config"/> or <see cref="WebhookSources.Api"/>.</summary>
    public string Source { get; set; } = WebhookSources.Api;
    /// <summary>Unix seconds.</summary>
    public long CreatedAt { get; set; }
    /// <summary>Unix seconds: set when an event was given up after Webhooks:MaxRetryHours; cleared by the next 2xx.</summary>
    public long? FailingSince { get; set; }
    /// <summary>Why the endpoint was switched off (410 Gone), if it was.</summary>
    public string? DisabledReason { get; set; }
    /// <summary>The feed position (EventCursor) up to which events have been queued for this endpoint.</summary>
    public long CursorXid { get; set; }
    public long CursorId { get; set; }

    public bool Wants(string type) => Events.Length == 0 || Events.Split(',').Contains(type);
}

public static class WebhookSources
{
    public const string Config = "config";
    public const string Api = "api";
}

/// <summary>An event waiting for one endpoint. Rows of one <see cref="OrderKey"/> (a ticket) go strictly in id order.</summary>
public sealed class WebhookQueueRow
{
    public long Id { get; set; }
    public string EndpointId { get; set; } = "";
    /// <summary>The events row (EventRow.Id); its bytes are rendered afresh for each attempt, identical every time.</summary>
    public long EventRowId { get; set; }
    /// <summary>The ticket: a ticket's events wait for each other, other tickets' do not.</summary>
    public string OrderKey { get; set; } = "";
    public int Attempts { get; set; }
    /// <summary>Unix milliseconds.</summary>
    public long NextAttemptAt { get; set; }
    /// <summary>Unix milliseconds: the retry window (Webhooks:MaxRetryHours) counts from here.</summary>
    public long EnqueuedAt { get; set; }
    /// <summary>A ping's id, for a ping row (<see cref="EventRowId"/> is then 0: a ping is not in the feed).</summary>
    public string? PingEventId { get; set; }
    /// <summary>A ping's body, rendered when it was asked for.</summary>
    public string? PingBody { get; set; }
}

/// <summary>One attempt, kept for the deliveries list (and redelivery).</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public string EndpointId { get; set; } = "";
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    /// <summary>Null for a ping (not in the feed).</summary>
    public long? EventRowId { get; set; }
    /// <summary>Unix milliseconds.</summary>
    public long AttemptedAt { get; set; }
    /// <summary>The HTTP status; null when no answer came (refused, timeout, connection error).</summary>
    public int? StatusCode { get; set; }
    public long DurationMs { get; set; }
    public string? Error { get; set; }
    /// <summary><see cref="WebhookResults"/>.</summary>
    public string Result { get; set; } = "";
}

public static class WebhookResults
{
    public const string Success = "success";
    public const string Retrying = "retrying";
    public const string GaveUp = "gave_up";
    public const string Disabled = "disabled";
    /// <summary>A ping that got no 2xx (pings are not retried).</summary>
    public const string Failed = "failed";
}
