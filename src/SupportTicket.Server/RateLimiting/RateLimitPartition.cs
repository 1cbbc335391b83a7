using System.Net;
using System.Security.Claims;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.RateLimiting;

/// <summary>Whose counter a request goes to.</summary>
internal static class RateLimitPartition
{
    public const string UserPrefix = "u:";

    /// <summary>Authenticated callers are counted by user id, everyone else by client IP.</summary>
    public static (string Key, string? Role) For(ClaimsPrincipal user, IPAddress? ip)
    {
        if (user.Identity?.IsAuthenticated == true)
        {
            var id = user.FindFirst(TokenClaims.Id)?.Value ?? user.FindFirst(TokenClaims.Subject)?.Value;
            if (!string.IsNullOrEmpty(id)) return (UserPrefix + id, user.FindFirst(TokenClaims.Role)?.Value);
        }
        return (IpKey(ip), null);
    }

    public static string IpKey(IPAddress? ip) => "ip:" + (ip?.ToString() ?? "unknown");
}
