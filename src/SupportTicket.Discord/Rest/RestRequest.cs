namespace SupportTicket.Discord.Rest;

/// <summary>
/// A route as Discord buckets it: method + template with only the major parameter kept
/// (channel, guild, or webhook id+token). Other ids are part of the template as placeholders.
/// </summary>
internal sealed record RestRoute(string Method, string Template, string Major)
{
    public string RouteKey => $"{Method} {Template}";
}

/// <summary>
/// One logical call. Content is a factory because an HttpContent cannot be sent twice and a call may be retried.
/// </summary>
internal sealed record RestRequest(HttpMethod Method, string Path, RestRoute Route, Func<HttpContent?> Content)
{
    /// <summary>False for webhook-token and interaction routes, which are authenticated by the path.</summary>
    public bool BotAuth { get; init; } = true;

    /// <summary>Interaction callbacks do not count against the global limit.</summary>
    public bool GlobalExempt { get; init; }

    /// <summary>Safe to resend after a 5xx: idempotent methods, or creates that carry an enforced nonce.</summary>
    public bool Retryable { get; init; }

    public string? AuditLogReason { get; init; }
}
