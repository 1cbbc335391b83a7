using Microsoft.Extensions.Options;

namespace SupportTicket.Server.RateLimiting;

public sealed class RateLimitChecker(IRateLimitStore store, IOptionsMonitor<RateLimitOptions> options)
{
    public bool Enabled => options.CurrentValue.Enabled;

    public ValueTask<RateLimitDecision?> HitAsync(string policy, string key, string? role, CancellationToken ct) =>
        CheckAsync(policy, key, role, cost: 1, ct);

    public ValueTask<RateLimitDecision?> PeekAsync(string policy, string key, CancellationToken ct) =>
        CheckAsync(policy, key, role: null, cost: 0, ct);

    private async ValueTask<RateLimitDecision?> CheckAsync(string policy, string key, string? role, int cost, CancellationToken ct)
    {
        var current = options.CurrentValue;
        if (!current.Enabled) return null;
        if (!current.Policies.TryGetValue(policy, out var p))
            throw new InvalidOperationException($"No rate-limit policy named {policy}: add it to RatePolicies.Defaults");
        var limit = p.LimitFor(role);
        var window = TimeSpan.FromSeconds(p.WindowSeconds);
        var count = await store.HitAsync($"{policy}:{key}", window, cost, ct);
        // A peek asks "may one more come in?"; a hit has already been counted.
        var allowed = cost == 0 ? count.Count < limit : count.Count <= limit;
        return new RateLimitDecision(policy, allowed, limit, count.Count, count.ResetAfter, p.WindowSeconds);
    }
}
