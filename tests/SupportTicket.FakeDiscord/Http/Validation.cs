using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Http;

/// <summary>The shape checks Discord applies before it looks at a request's meaning.</summary>
internal static class Validation
{
    public static bool IsJson(HttpRequest request) =>
        request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task<JsonNode?> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Snowflakes and permission bitsets must be JSON strings.</summary>
    public static bool TrySnowflake(JsonNode? node, out ulong value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String && ulong.TryParse(v.GetValue<string>(), out value);
    }

    public static bool TryRouteId(string text, out ulong id) => ulong.TryParse(text, out id);

    public static string? String(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static int? Int(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<int>() : null;

    /// <summary>Overwrites: {id:"snowflake", type:0|1, allow:"bits", deny:"bits"}, bits limited to what the bot holds.</summary>
    public static IResult? CheckOverwrites(JsonNode? node, ulong botPermissions)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            return DiscordErrors.InvalidForm("permission_overwrites must be an array");
        }

        foreach (var item in array)
        {
            if (item is not JsonObject o || !TrySnowflake(o["id"], out _) || Int(o["type"]) is not (0 or 1))
            {
                return DiscordErrors.InvalidForm("overwrite id must be a string snowflake and type 0 or 1");
            }

            foreach (var field in new[] { "allow", "deny" })
            {
                if (o[field] is null)
                {
                    continue;
                }

                if (!TrySnowflake(o[field], out var bits))
                {
                    return DiscordErrors.InvalidForm($"overwrite {field} must be a string bitset");
                }

                if ((bits & ~botPermissions) != 0)
                {
                    return DiscordErrors.Error(403, 50013, "Missing Permissions");
                }
            }
        }

        return null;
    }

    /// <summary>Discord lowercases text channel names, turns spaces into dashes and collapses dash runs.</summary>
    public static string NormalizeChannelName(string name)
    {
        var lowered = name.Trim().ToLowerInvariant().Replace(' ', '-');
        while (lowered.Contains("--", StringComparison.Ordinal))
        {
            lowered = lowered.Replace("--", "-", StringComparison.Ordinal);
        }

        return lowered;
    }
}
