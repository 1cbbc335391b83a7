using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Http;

/// <summary>Content, embed, component, mention and nonce limits of a message create or edit.</summary>
internal static class MessageRules
{
    public static IResult? Validate(JsonObject body, int fileCount, bool isEdit = false)
    {
        var content = Validation.String(body["content"]);
        if (body["content"] is not null && content is null)
        {
            return DiscordErrors.InvalidForm("content must be a string");
        }

        if (content?.Length > 2000)
        {
            return DiscordErrors.FieldError("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
        }

        var embeds = body["embeds"] as JsonArray;
        var components = body["components"] as JsonArray;
        if (!isEdit && string.IsNullOrEmpty(content) && (embeds?.Count ?? 0) == 0 && (components?.Count ?? 0) == 0 && fileCount == 0)
        {
            return DiscordErrors.Error(400, 50006, "Cannot send an empty message");
        }

        return CheckEmbeds(embeds) ?? CheckComponents(components) ?? CheckMentions(body["allowed_mentions"]) ?? CheckNonce(body["nonce"]);
    }

    private static IResult? CheckEmbeds(JsonArray? embeds)
    {
        if (embeds is null)
        {
            return null;
        }

        if (embeds.Count > 10)
        {
            return DiscordErrors.InvalidForm("embeds: at most 10");
        }

        var total = 0;
        foreach (var embed in embeds.OfType<JsonObject>())
        {
            var title = Len(embed["title"]);
            var description = Len(embed["description"]);
            var fields = embed["fields"] as JsonArray ?? [];
            if (title > 256 || description > 4096 || fields.Count > 25 || Len(embed["footer"]?["text"]) > 2048 || Len(embed["author"]?["name"]) > 256)
            {
                return DiscordErrors.InvalidForm("embed field over its limit");
            }

            if (fields.OfType<JsonObject>().Any(f => Len(f["name"]) > 256 || Len(f["value"]) > 1024))
            {
                return DiscordErrors.InvalidForm("embed field name/value over its limit");
            }

            total += title + description + Len(embed["footer"]?["text"]) + Len(embed["author"]?["name"])
                + fields.OfType<JsonObject>().Sum(f => Len(f["name"]) + Len(f["value"]));
        }

        return total > 6000 ? DiscordErrors.InvalidForm("embeds exceed 6000 characters in total") : null;
    }

    private static IResult? CheckComponents(JsonArray? rows)
    {
        if (rows is null)
        {
            return null;
        }

        if (rows.Count > 5 || rows.Any(r => Validation.Int(r?["type"]) != 1 || (r?["components"] as JsonArray)?.Count is null or 0 or > 5))
        {
            return DiscordErrors.InvalidForm("components: at most 5 action rows of 1–5 components");
        }

        foreach (var button in rows.SelectMany(r => (JsonArray)r!["components"]!).OfType<JsonObject>())
        {
            var customId = Validation.String(button["custom_id"]);
            var isLink = Validation.Int(button["style"]) == 5;
            if (Validation.Int(button["type"]) != 2 || Len(button["label"]) > 80 || (!isLink && customId is not { Length: >= 1 and <= 100 }))
            {
                return DiscordErrors.InvalidForm("button: type 2, label ≤ 80, custom_id 1–100");
            }
        }

        return null;
    }

    private static IResult? CheckMentions(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject mentions || (mentions["parse"] is not null && mentions["parse"] is not JsonArray))
        {
            return DiscordErrors.InvalidForm("allowed_mentions must be an object with a parse array");
        }

        var parse = (mentions["parse"] as JsonArray)?.Select(Validation.String).ToList() ?? [];
        if ((parse.Contains("users") && mentions["users"] is not null) || (parse.Contains("roles") && mentions["roles"] is not null))
        {
            return DiscordErrors.InvalidForm("allowed_mentions: parse is mutually exclusive with users/roles");
        }

        return null;
    }

    private static IResult? CheckNonce(JsonNode? node) =>
        node is not null && (Validation.String(node) ?? node.ToJsonString()).Length > 25
            ? DiscordErrors.InvalidForm("nonce: at most 25 characters")
            : null;

    private static int Len(JsonNode? node) => Validation.String(node)?.Length ?? 0;
}
