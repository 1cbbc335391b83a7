using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Http;
using static SupportTicket.FakeDiscord.Http.DiscordErrors;

namespace SupportTicket.FakeDiscord.Endpoints;

internal static class MessageEndpoints
{
    public static void MapMessages(this RouteGroupBuilder api, FakeDiscordServer server)
    {
        api.MapPost("/channels/{channel_id}/messages", (HttpRequest request, string channel_id) => CreateAsync(server, request, channel_id))
            .Discord("channel_id");
        api.MapPatch("/channels/{channel_id}/messages/{message_id}",
            (HttpRequest request, string channel_id, string message_id) => EditAsync(server, request, channel_id, message_id))
            .Discord("channel_id");
        api.MapPut("/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            (string channel_id, string message_id, string emoji) => React(server, channel_id, message_id, emoji))
            .Discord("channel_id");
        api.MapDelete("/channels/{channel_id}/messages/{message_id}",
            (string channel_id, string message_id) => DeleteAsync(server, channel_id, message_id))
            .Discord("channel_id");
    }

    private static async Task<IResult> CreateAsync(FakeDiscordServer server, HttpRequest request, string channelId)
    {
        if (ChannelEndpoints.Find(server, channelId) is null)
        {
            return UnknownChannel();
        }

        var (payload, error) = await MessagePayload.ReadAsync(request, server.Options.MaxFileSize);
        if (error is not null)
        {
            return error;
        }

        if (MessageRules.Validate(payload!.Body, payload.Files.Count) is { } invalid)
        {
            return invalid;
        }

        var id = ulong.Parse(channelId);
        var nonce = Validation.String(payload.Body["nonce"]);
        var enforce = payload.Body["enforce_nonce"] is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;
        if (nonce is not null && enforce)
        {
            lock (server.Store.Gate)
            {
                // A retried create with the same nonce returns the first message instead of posting twice.
                if (server.Store.Nonces.TryGetValue((id, nonce), out var existing) && server.Now - existing.At < server.Options.NonceWindow
                    && server.Store.Messages.TryGetValue(existing.Message, out var m))
                {
                    var first = (JsonObject)m.DeepClone();
                    first["nonce"] = nonce;
                    return Json(first);
                }
            }
        }

        var message = await MessageFactory.CreateAsync(server, id, payload, server.BotUser());
        if (nonce is not null && enforce)
        {
            lock (server.Store.Gate)
            {
                server.Store.Nonces[(id, nonce)] = (ulong.Parse((string)message["id"]!), server.Now);
            }
        }

        return Json(message);
    }

    private static async Task<IResult> EditAsync(FakeDiscordServer server, HttpRequest request, string channelId, string messageId)
    {
        if (MessageFactory.Find(server, channelId, messageId) is not { } message)
        {
            return UnknownMessage();
        }

        if ((string?)message["author"]?["id"] != server.BotUserId.ToString() || message["webhook_id"] is not null)
        {
            return Error(403, 50005, "Cannot edit a message authored by another user");
        }

        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        return MessageRules.Validate(body, 0, isEdit: true) ?? Json(await MessageFactory.EditAsync(server, message, body));
    }

    /// <summary>
    /// Discord's reaction: 204, idempotent per user and emoji, stored on the message as reactions[{count, me, emoji}].
    /// A custom emoji is name:id; anything else must be a single unicode emoji (else 400/10014 Unknown Emoji).
    /// </summary>
    private static IResult React(FakeDiscordServer server, string channelId, string messageId, string emoji)
    {
        var name = Uri.UnescapeDataString(emoji);
        if (!name.Contains(':', StringComparison.Ordinal) && (name.Length is 0 or > 8 || name.Any(char.IsAsciiLetterOrDigit)))
        {
            return Error(400, 10014, "Unknown Emoji");
        }

        lock (server.Store.Gate)
        {
            if (MessageFactory.Find(server, channelId, messageId) is not { } message)
            {
                return UnknownMessage();
            }

            var reactions = message["reactions"] as JsonArray ?? [];
            message["reactions"] = reactions;
            if (!reactions.Any(r => (string?)r!["emoji"]!["name"] == name && (bool?)r["me"] == true))
            {
                reactions.Add(new JsonObject { ["count"] = 1, ["me"] = true, ["emoji"] = new JsonObject { ["id"] = null, ["name"] = name } });
            }
        }

        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(FakeDiscordServer server, string channelId, string messageId)
    {
        if (MessageFactory.Find(server, channelId, messageId) is not { } message)
        {
            return UnknownMessage();
        }

        await MessageFactory.DeleteAsync(server, message);
        return Results.NoContent();
    }
}
