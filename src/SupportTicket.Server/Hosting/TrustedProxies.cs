using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Hosting;

// Behind a reverse proxy every client would share the proxy's address, and per-IP limits would hit everyone at once.
// KNOWN_PROXIES names the proxies whose X-Forwarded-For is believed; nobody else's is, because a header from anywhere
// could be forged to dodge the limits.
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServerOptions>>((o, server) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var entry in server.Value.ProxyEntries)
            {
                if (entry.Contains('/')) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                else o.KnownProxies.Add(IPAddress.Parse(entry));
            }
        });
        return services;
    }

    // Only with proxies named: with none, the middleware would believe every client's header.
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.ProxyEntries.Length > 0)
            app.UseForwardedHeaders();
        return app;
    }

    public static bool IsAddressOrNetwork(string entry) =>
        entry.Contains('/') ? System.Net.IPNetwork.TryParse(entry, out _) : IPAddress.TryParse(entry, out _);
}
