using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace SupportTicket.TrustedBackend;

/// <summary>
/// Behind a TLS-terminating proxy the request arrives as plain HTTP from the proxy's address. KNOWN_PROXIES names the
/// proxies whose X-Forwarded-For/-Proto are believed, so per-address limits see the client and the refresh cookie is
/// marked Secure; nobody else's headers are believed.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddKnownProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<BackendOptions>>((o, backend) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var entry in Parse(backend.Value.KnownProxies) ?? [])
            {
                if (entry is IPAddress address) o.KnownProxies.Add(address);
                else o.KnownIPNetworks.Add((System.Net.IPNetwork)entry);
            }
        });
        return services;
    }

    /// <summary>Addresses and networks, or null when an entry is neither.</summary>
    public static List<object>? Parse(string value)
    {
        var entries = new List<object>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) entries.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) entries.Add(address);
            else return null;
        }
        return entries;
    }
}
