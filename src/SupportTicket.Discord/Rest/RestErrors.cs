using System.Net;
using System.Text.Json;

namespace SupportTicket.Discord.Rest;

internal static class RestErrors
{
    public static DiscordRestException From(HttpStatusCode status, string body, string route)
    {
        var code = 0;
        var message = status.ToString();
        JsonElement? errors = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new DiscordRestException(status, code, message, route);
            }

            if (doc.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number)
            {
                code = c.GetInt32();
            }

            if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString() ?? message;
            }

            if (doc.RootElement.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                // Cloned: the document is disposed on return, the exception outlives it.
                errors = e.Clone();
            }
        }
        catch (JsonException)
        {
            // Cloudflare and proxies answer with HTML; the status alone has to do.
        }

        return new DiscordRestException(status, code, message, route, errors);
    }
}
