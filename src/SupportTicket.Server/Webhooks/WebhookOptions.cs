using Microsoft.Extensions.Options;
using SupportTicket.Server.EventFeed;

namespace SupportTicket.Server.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";
    public const int MinSecretBytes = 32;

    public List<ConfiguredEndpoint> Endpoints { get; set; } = [];
    /// <summary>Deliver to loopback, private, link-local and metadata addresses (off: refused at connect time).</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>Allow http:// URLs (off: https only).</summary>
    public bool AllowHttp { get; set; }
    /// <summary>How long an event is retried before it is given up and the endpoint marked failing.</summary>
    public double MaxRetryHours { get; set; } = 72;
    /// <summary>The first retry's delay; each further one doubles (with jitter), up to one hour.</summary>
    public int RetryBaseMs { get; set; } = 10_000;
    /// <summary>How often each endpoint looks for new events in the feed.</summary>
    public int PollMs { get; set; } = 250;
    /// <summary>An attempt without a 2xx within this time is a failure.</summary>
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>Tickets delivered at once per endpoint (each ticket's events stay in order).</summary>
    public int Parallelism { get; set; } = 8;

    public sealed class ConfiguredEndpoint
    {
        public string? Url { get; set; }
        public string? Secret { get; set; }
        public string? Events { get; set; }
    }

    /// <summary>Null when <paramref name="url"/> may be an endpoint; else why not (after the field name).</summary>
    public string? UrlProblem(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "must be an absolute https URL";
        if (uri.Scheme == "http" && !AllowHttp) return "must be https (http needs Webhooks:AllowHttp)";
        if (uri.UserInfo.Length > 0) return "must not carry credentials";
        if (url.Length > 2048) return "must be at most 2048 characters";
        return null;
    }

    /// <summary>Null when <paramref name="events"/> is empty or a comma list of known types; else why not.</summary>
    public static string? EventsProblem(string? events) =>
        Normalize(events).FirstOrDefault(t => Array.IndexOf(EventTypes.All, t) < 0) is { } unknown
            ? $"must be a comma list of {string.Join(", ", EventTypes.All)}; '{unknown}' is not one"
            : null;

    public static string[] Normalize(string? events) =>
        events?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray() ?? [];
}

/// <summary>Fails startup with one line naming the bad setting (the first one found).</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(WebhookOptions o)
    {
        if (!(o.MaxRetryHours > 0 && o.MaxRetryHours <= 24 * 30)) return "Webhooks:MaxRetryHours must be between 0 and 720";
        if (o.RetryBaseMs is < 1 or > 3_600_000) return "Webhooks:RetryBaseMs must be between 1 and 3600000";
        if (o.PollMs is < 10 or > 60_000) return "Webhooks:PollMs must be between 10 and 60000";
        if (o.TimeoutSeconds is < 1 or > 60) return "Webhooks:TimeoutSeconds must be between 1 and 60";
        if (o.Parallelism is < 1 or > 256) return "Webhooks:Parallelism must be between 1 and 256";
        for (var i = 0; i < o.Endpoints.Count; i++)
        {
            var e = o.Endpoints[i];
            if (o.UrlProblem(e.Url) is { } problem) return $"Webhooks:Endpoints:{i}:Url {problem}";
            if (e.Secret is null || System.Text.Encoding.UTF8.GetByteCount(e.Secret) < WebhookOptions.MinSecretBytes)
                return $"Webhooks:Endpoints:{i}:Secret must be at least {WebhookOptions.MinSecretBytes} bytes";
            if (WebhookOptions.EventsProblem(e.Events) is { } bad) return $"Webhooks:Endpoints:{i}:Events {bad}";
        }
        return null;
    }
}
