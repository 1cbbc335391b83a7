using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SupportTicket.FakeDiscord.Http;
using static SupportTicket.FakeDiscord.Http.DiscordErrors;

namespace SupportTicket.FakeDiscord.Endpoints;

internal static partial class InteractionEndpoints
{
    public static void MapInteractions(this RouteGroupBuilder api, FakeDiscordServer server)
    {
        api.MapPost("/interactions/{interaction_id}/{interaction_token}/callback",
            (HttpRequest request, string interaction_id, string interaction_token) => CallbackAsync(server, request, interaction_id, interaction_token))
            .DiscordTokenRoute(true, "interaction_id");
        api.MapPut("/applications/{application_id}/guilds/{guild_id}/commands",
            (HttpRequest request, string application_id, string guild_id) => OverwriteAsync(server, request, application_id, guild_id))
            .Discord("guild_id");
        api.MapPut("/applications/{application_id}/commands",
            (HttpRequest request, string application_id) => OverwriteAsync(server, request, application_id, null))
            .Discord();
    }

    private static async Task<IResult> CallbackAsync(FakeDiscordServer server, HttpRequest request, string interactionId, string token)
    {
        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        var type = Validation.Int(body["type"]);
        if (type is not (1 or 4 or 5 or 6 or 7 or 8 or 9))
        {
            return InvalidForm("type must be a valid interaction callback type");
        }

        lock (server.Store.Gate)
        {
            if (!Validation.TryRouteId(interactionId, out var id) || !server.Store.Interactions.TryGetValue(id, out var interaction)
                || interaction.Token != token || DateTimeOffset.UtcNow - interaction.CreatedAt > server.Options.InteractionTimeout)
            {
                return UnknownInteraction();
            }

            // Discord: an autocomplete is answered only with choices (8), choices answer nothing else, and a
            // submitted modal or an autocomplete cannot open a modal (9).
            if ((interaction.Type == 4) != (type == 8) || (type == 9 && interaction.Type is 4 or 5))
            {
                return Error(400, 40094, $"Interaction callback type {type} is not valid for interaction type {interaction.Type}");
            }

            if (CallbackDataProblem(type!.Value, body["data"] as JsonObject) is { } problem)
            {
                return InvalidForm(problem);
            }

            if (interaction.Callbacks++ > 0)
            {
                return Error(400, 40060, "Interaction has already been acknowledged.");
            }

            interaction.Response = body.DeepClone();
        }

        return Results.NoContent();
    }

    /// <summary>PATCH /webhooks/{application}/{interaction token}/messages/@original: a follow-up edit.</summary>
    public static async Task<IResult> EditOriginalAsync(FakeDiscordServer server, HttpRequest request, string token, string messageId)
    {
        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        lock (server.Store.Gate)
        {
            var interaction = server.Store.Interactions.Values.FirstOrDefault(i => i.Token == token);
            if (interaction is null || messageId != "@original" || interaction.Callbacks == 0)
            {
                return UnknownMessage();
            }

            // The deferred reply keeps its ephemeral flag through the edit, as in Discord.
            var data = (JsonObject)body.DeepClone();
            if (data["flags"] is null && interaction.Response?["data"]?["flags"] is { } flags)
            {
                data["flags"] = flags.DeepClone();
            }

            interaction.Response = new JsonObject { ["type"] = 4, ["data"] = data };
            return Json(new JsonObject
            {
                ["id"] = interaction.Id.ToString(),
                ["channel_id"] = server.GeneralTextChannelId.ToString(),
                ["content"] = body["content"]?.DeepClone(),
                ["webhook_id"] = server.ApplicationId.ToString(),
            });
        }
    }

    private static async Task<IResult> OverwriteAsync(FakeDiscordServer server, HttpRequest request, string applicationId, string? guildId)
    {
        if (applicationId != server.ApplicationId.ToString() || (guildId is not null && guildId != server.GuildId.ToString()))
        {
            return Error(403, 50001, "Missing Access");
        }

        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonArray commands)
        {
            return InvalidForm("body must be a JSON array of commands");
        }

        var result = new JsonArray();
        foreach (var command in commands)
        {
            if (command is not JsonObject c || !CommandName().IsMatch(Validation.String(c["name"]) ?? "")
                || Validation.String(c["description"]) is not { Length: >= 1 and <= 100 })
            {
                return InvalidForm("command name must be 1–32 lowercase characters, description 1–100");
            }

            if (OptionsProblem(c["options"] as JsonArray) is { } problem)
            {
                return InvalidForm(problem);
            }

            var stored = (JsonObject)c.DeepClone();
            stored["id"] = server.Store.Ids.Next().ToString();
            stored["application_id"] = applicationId;
            stored["guild_id"] = guildId;
            stored["type"] ??= 1;
            result.Add(stored);
        }

        lock (server.Store.Gate)
        {
            if (guildId is null)
            {
                server.Store.GlobalCommands = (JsonArray)result.DeepClone();
            }
            else
            {
                server.Store.GuildCommands = (JsonArray)result.DeepClone();
            }
        }

        return Json(result);
    }

    /// <summary>
    /// Discord's rules for command options: at most 25; choices (at most 25, name 1–100, value at most 100) only on
    /// string, integer and number options (types 3, 4, 10), never together with autocomplete; subcommands nest theirs.
    /// </summary>
    private static string? OptionsProblem(JsonArray? options)
    {
        if (options is null)
        {
            return null;
        }

        if (options.Count > 25)
        {
            return "options: at most 25";
        }

        foreach (var option in options)
        {
            var type = Validation.Int(option?["type"]);
            if (option?["choices"] is JsonArray choices)
            {
                if (type is not (3 or 4 or 10) || option["autocomplete"]?.GetValue<bool>() == true)
                {
                    return "options: choices only on string, integer or number options without autocomplete";
                }

                if (choices.Count > 25 || !choices.All(c => Validation.String(c?["name"]) is { Length: >= 1 and <= 100 }
                        && (type != 3 || Validation.String(c?["value"]) is { Length: <= 100 })))
                {
                    return "options: at most 25 choices, name 1–100 characters, value at most 100";
                }
            }

            if (type is 1 or 2 && OptionsProblem(option?["options"] as JsonArray) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    /// <summary>Discord's limits on choices (≤25; name 1–100, value ≤100) and modals (custom_id, title ≤45, 1–5 rows of text inputs, label ≤45).</summary>
    private static string? CallbackDataProblem(int type, JsonObject? data)
    {
        if (type == 8)
        {
            var choices = data?["choices"] as JsonArray;
            if (choices is null || choices.Count > 25) return "choices: at most 25";
            return choices.All(c => Validation.String(c?["name"]) is { Length: >= 1 and <= 100 } && Validation.String(c?["value"]) is { Length: <= 100 })
                ? null : "choices: name 1–100 characters, value at most 100";
        }

        if (type != 9)
        {
            return null;
        }

        if (Validation.String(data?["custom_id"]) is not { Length: >= 1 and <= 100 } || Validation.String(data?["title"]) is not { Length: >= 1 and <= 45 })
        {
            return "modal: custom_id 1–100 and title 1–45 characters";
        }

        var rows = data!["components"] as JsonArray;
        if (rows is null || rows.Count is < 1 or > 5)
        {
            return "modal: 1 to 5 action rows";
        }

        var inputs = rows.Select(r => r?["components"] as JsonArray).ToList();
        return inputs.All(i => i is { Count: 1 } && Validation.Int(i[0]?["type"]) == 4 && Validation.String(i[0]?["custom_id"]) is { Length: >= 1 and <= 100 }
                && Validation.String(i[0]?["label"]) is { Length: >= 1 and <= 45 } && Validation.Int(i[0]?["style"]) is 1 or 2
                && (Validation.String(i[0]?["value"]) ?? "").Length <= 4000)
            ? null : "modal: each row holds one text input (type 4) with custom_id, label ≤45, style 1 or 2, value ≤4000";
    }

    [GeneratedRegex(@"^[-_\p{Ll}\p{N}]{1,32}$")]
    private static partial Regex CommandName();
}
