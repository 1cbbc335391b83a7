using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Webhooks;

/// <summary>
/// The one HttpClient of webhook delivery. Redirects are never followed (a 3xx is a failure), and the address is
/// checked when the socket connects, after DNS: a name that resolves (or re-resolves) to a loopback, private,
/// link-local or metadata address is refused unless Webhooks:AllowPrivateNetworks is set, so DNS rebinding does
/// not reach the inside.
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    public WebhookHttp(IOptions<WebhookOptions> options)
    {
        var allowPrivate = options.Value.AllowPrivateNetworks;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
            ConnectCallback = (context, ct) => ConnectAsync(context, allowPrivate, ct),
        };
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new WebhookRefusedException($"{host} resolves to a private, loopback, link-local or metadata address; refused (Webhooks:AllowPrivateNetworks is off)");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True for addresses on the public internet; false for every range an attacker could aim us at inside.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 100 && b[1] is >= 64 and < 128)   // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)              // link-local, cloud metadata (169.254.169.254)
                || (b[0] == 172 && b[1] is >= 16 and < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19));
        return !(address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xfe) == 0xfc); // unique local fc00::/7 (also fd00:ec2::254, a metadata address)
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>The endpoint's address is not one we deliver to.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
