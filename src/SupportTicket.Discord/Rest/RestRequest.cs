namespace SupportTicket.Discord.Rest;

// A route as Discord buckets it: method + template with only the major parameter kept (channel, guild, or webhook
// id+token). Other ids are part of the template as placeholders.
internal sealed record RestRoute(string Method, string Template, string Major)
{
    public string RouteKey => $"{Method} {Template}";
}

// One logical call. Content is a factory because an HttpContent cannot be sent twice and a call may be retried.
internal sealed record RestRequest(HttpMethod Method, string Path, RestRoute Route, Func<HttpContent?> Content)
{
    public bool BotAuth { get; init; } = true;

    public bool GlobalExempt { get; init; }

    // Safe to resend after a 5xx: idempotent methods, or creates that carry an enforced nonce.
    public bool Retryable { get; init; }

    public string? AuditLogReason { get; init; }
}
