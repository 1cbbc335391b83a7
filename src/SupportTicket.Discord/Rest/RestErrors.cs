using System.Net;
using System.Text.Json;

namespace SupportTicket.Discord.Rest;

internal static class RestErrors
{
    public static DiscordRestException From(HttpStatusCode status, string body, string route)
    {
        var code = 0;
        var message = status.ToString();
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number)
            {
                code = c.GetInt32();
            }

            if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString() ?? message;
            }
        }
        catch (JsonException)
        {
            // Cloudflare and proxies answer with HTML; the status alone has to do.
        }

        return new DiscordRestException(status, code, message, route);
    }
}
