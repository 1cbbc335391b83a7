using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Http;

namespace SupportTicket.FakeDiscord.Endpoints;

/// <summary>The JSON body of a message create, from either a JSON request or multipart payload_json + files[n].</summary>
internal sealed record MessagePayload(JsonObject Body, IReadOnlyList<(string Field, string FileName, byte[] Content)> Files)
{
    public static async Task<(MessagePayload? Payload, IResult? Error)> ReadAsync(HttpRequest request, long maxFileSize)
    {
        if (Validation.IsJson(request))
        {
            return await Validation.ReadJsonAsync(request) is JsonObject body
                ? (new MessagePayload(body, []), null)
                : (null, DiscordErrors.InvalidForm("body must be a JSON object"));
        }

        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, DiscordErrors.InvalidForm("Content-Type must be application/json or multipart/form-data"));
        }

        var form = await request.ReadFormAsync();
        if (!form.TryGetValue("payload_json", out var json) || Parse(json.ToString()) is not JsonObject payload)
        {
            return (null, DiscordErrors.InvalidForm("multipart needs a payload_json part"));
        }

        var files = new List<(string, string, byte[])>();
        foreach (var file in form.Files)
        {
            if (!file.Name.StartsWith("files[", StringComparison.Ordinal) || string.IsNullOrEmpty(file.FileName))
            {
                return (null, DiscordErrors.InvalidForm($"file part '{file.Name}' must be files[n] with a filename"));
            }

            if (file.Length > maxFileSize)
            {
                return (null, DiscordErrors.Error(413, 40005, "Request entity too large"));
            }

            using var stream = new MemoryStream();
            await file.CopyToAsync(stream);
            files.Add((file.Name, file.FileName, stream.ToArray()));
        }

        // Every files[n] must be described by attachments[] with id n.
        var ids = (payload["attachments"] as JsonArray)?.Select(a => a?["id"]?.ToString()).ToHashSet() ?? [];
        if (files.Any(f => !ids.Contains(f.Item1["files[".Length..^1])))
        {
            return (null, DiscordErrors.InvalidForm("attachments[].id must match each files[n]"));
        }

        return (new MessagePayload(payload, files), null);
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
