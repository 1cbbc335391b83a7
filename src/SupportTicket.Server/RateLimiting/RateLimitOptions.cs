using Microsoft.Extensions.Options;

namespace SupportTicket.Server.RateLimiting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off switches every limit of this feature (request limits, hub limits, connection and open-ticket caps).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Keys in Redis start with this, so several deployments can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = "st:rl:";

    /// <summary>How long a request waits for Redis before it is counted locally instead.</summary>
    public int RedisTimeoutMs { get; set; } = 250;

    /// <summary>Open (not closed) tickets a TEMP_USER or CUSTOMER may have at once; 0 turns the cap off.</summary>
    public int MaxOpenTicketsPerUser { get; set; } = 5;

    /// <summary>Concurrent hub connections per user; 0 turns the cap off.</summary>
    public int MaxHubConnectionsPerUser { get; set; } = 20;

    /// <summary>Concurrent hub connections of guests (TEMP_USER) per client address; 0 turns the cap off.</summary>
    public int MaxGuestHubConnectionsPerAddress { get; set; } = 100;

    /// <summary>Concurrent hub connections that have not authorized, per client address and on the node; 0 = no cap.</summary>
    public int MaxAnonymousHubConnectionsPerAddress { get; set; } = 100;
    public int MaxAnonymousHubConnections { get; set; } = 10_000;

    /// <summary>Attachment downloads running at once per client address and on the node; 0 = no cap.</summary>
    public int MaxAttachmentDownloadsPerAddress { get; set; } = 16;
    public int MaxAttachmentDownloads { get; set; } = 256;

    public Dictionary<string, RatePolicyOptions> Policies { get; set; } = RatePolicies.Defaults();
}

public sealed class RatePolicyOptions
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Role → permit limit, replacing <see cref="PermitLimit"/> for that role (guests tighter, staff looser).</summary>
    public Dictionary<string, int> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int LimitFor(string? role) => role is not null && Roles.TryGetValue(role, out var limit) ? limit : PermitLimit;
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        foreach (var (policy, p) in options.Policies)
        {
            var at = $"{RateLimitOptions.Section}:Policies:{policy}";
            if (p.PermitLimit < 1) failures.Add($"{at}:PermitLimit must be at least 1");
            if (p.WindowSeconds < 1) failures.Add($"{at}:WindowSeconds must be at least 1");
            foreach (var (role, limit) in p.Roles.Where(r => r.Value < 1))
                failures.Add($"{at}:Roles:{role} must be at least 1");
        }
        if (options.RedisTimeoutMs < 1) failures.Add($"{RateLimitOptions.Section}:RedisTimeoutMs must be at least 1");
        if (options.MaxOpenTicketsPerUser < 0) failures.Add($"{RateLimitOptions.Section}:MaxOpenTicketsPerUser must be 0 (off) or more");
        foreach (var (setting, value) in new[]
        {
            (nameof(options.MaxHubConnectionsPerUser), options.MaxHubConnectionsPerUser),
            (nameof(options.MaxGuestHubConnectionsPerAddress), options.MaxGuestHubConnectionsPerAddress),
            (nameof(options.MaxAnonymousHubConnectionsPerAddress), options.MaxAnonymousHubConnectionsPerAddress),
            (nameof(options.MaxAnonymousHubConnections), options.MaxAnonymousHubConnections),
            (nameof(options.MaxAttachmentDownloadsPerAddress), options.MaxAttachmentDownloadsPerAddress),
            (nameof(options.MaxAttachmentDownloads), options.MaxAttachmentDownloads),
        })
            if (value < 0) failures.Add($"{RateLimitOptions.Section}:{setting} must be 0 (off) or more");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
