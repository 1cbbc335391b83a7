namespace SupportTicket.Server.RateLimiting;

// Fails the start when an endpoint names a rate-limit policy that does not exist, so a renamed or new endpoint breaks
// at boot with one line instead of answering its first request with a 500. Called after the routes are mapped: a hosted
// service would run before the host copies them into the router.
public static class RatePolicyCheck
{
    public static IEndpointRouteBuilder CheckRatePolicies(this IEndpointRouteBuilder app)
    {
        var policies = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value.Policies;
        var missing = app.DataSources.SelectMany(d => d.Endpoints)
            .Select(e => e.Metadata.GetMetadata<RateLimitPolicyMetadata>()?.Name)
            .OfType<string>()
            .Where(name => !policies.ContainsKey(name))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
            throw new ConfigurationException(
                $"No rate-limit policy named {string.Join(", ", missing)} (used by an endpoint's WithName): add it to RatePolicies and RatePolicies.Defaults");
        return app;
    }
}
