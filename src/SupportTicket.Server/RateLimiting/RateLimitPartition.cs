using System.Net;
using System.Security.Claims;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.RateLimiting;

internal static class RateLimitPartition
{
    public const string UserPrefix = "u:";

    public static (string Key, string? Role) For(ClaimsPrincipal user, IPAddress? ip)
    {
        if (user.Identity?.IsAuthenticated == true)
        {
            var id = user.FindFirst(TokenClaims.Id)?.Value ?? user.FindFirst(TokenClaims.Subject)?.Value;
            if (!string.IsNullOrEmpty(id)) return (UserPrefix + id, user.FindFirst(TokenClaims.Role)?.Value);
        }
        return (IpKey(ip), null);
    }

    // The client's address, or for IPv6 its /64: one subscriber usually holds a whole /64, so counting single IPv6
    // addresses would let one client rotate through billions of them.
    public static string IpKey(IPAddress? ip)
    {
        if (ip is null) return "ip:unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return "ip:" + ip;
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"ip:{new IPAddress(bytes)}/64";
    }
}
