using System.Text.Json.Serialization;

namespace SupportTicket.Server.Webhooks;

/// <param name="Events">The types it receives; empty for all.</param>
/// <param name="FailingSince">Unix seconds: an event was given up after Webhooks:MaxRetryHours; cleared by the next success.</param>
/// <param name="PreviousSecretExpiresAt">Unix seconds: until then the secret before the last rotation signs too.</param>
public sealed record WebhookDto(
    string Id, string Url, string[] Events, string? Description, bool Enabled, string Source, long CreatedAt,
    long? FailingSince, string? DisabledReason, long? PreviousSecretExpiresAt)
{
    /// <summary>Only in the answers of create and rotate-secret: it is never shown again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static WebhookDto From(WebhookEndpoint e, long now) => new(e.Id, e.Url, WebhookOptions.Normalize(e.Events), e.Description,
        e.Enabled, e.Source, e.CreatedAt, e.FailingSince, e.DisabledReason, e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null);
}

/// <param name="Status">The HTTP status the endpoint answered; null when none came (refused, timeout, connection error).</param>
/// <param name="AttemptedAt">Unix milliseconds.</param>
public sealed record WebhookDeliveryDto(
    long Id, string EventId, string EventType, long AttemptedAt, int? Status, long DurationMs, string? Error, string Result)
{
    public static WebhookDeliveryDto From(WebhookDelivery d) =>
        new(d.Id, d.EventId, d.EventType, d.AttemptedAt, d.StatusCode, d.DurationMs, d.Error, d.Result);
}

public sealed record CreateWebhookRequest(string? Url, string[]? Events, string? Description);

/// <summary>Only the fields sent change.</summary>
public sealed record UpdateWebhookRequest(string? Url, string[]? Events, bool? Enabled, string? Description);

/// <summary>The answer to a redelivery: the event is queued again for the endpoint.</summary>
public sealed record RedeliveryDto(string EventId, bool Queued);

/// <summary>The answer to a ping: queued for the delivering node; how the endpoint answered shows in its deliveries.</summary>
public sealed record PingDto(string EventId, bool Queued);
