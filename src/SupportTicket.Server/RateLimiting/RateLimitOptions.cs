using Microsoft.Extensions.Options;

namespace SupportTicket.Server.RateLimiting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    public string RedisKeyPrefix { get; set; } = "st:rl:";

    public int RedisTimeoutMs { get; set; } = 250;

    public int MaxOpenTicketsPerUser { get; set; } = 5;

    public int MaxHubConnectionsPerUser { get; set; } = 20;

    public int MaxGuestHubConnectionsPerAddress { get; set; } = 100;

    public int MaxAnonymousHubConnectionsPerAddress { get; set; } = 100;
    public int MaxAnonymousHubConnections { get; set; } = 10_000;

    public int MaxAttachmentDownloadsPerAddress { get; set; } = 16;
    public int MaxAttachmentDownloads { get; set; } = 256;

    public Dictionary<string, RatePolicyOptions> Policies { get; set; } = RatePolicies.Defaults();
}

public sealed class RatePolicyOptions
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; } = 60;

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
