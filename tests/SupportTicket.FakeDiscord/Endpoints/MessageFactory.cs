using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Http;
using SupportTicket.FakeDiscord.Store;

namespace SupportTicket.FakeDiscord.Endpoints;

internal static class MessageFactory
{
    /// <summary>Stores the message, records uploads and dispatches MESSAGE_CREATE (so echo suppression can be tested).</summary>
    public static async Task<JsonObject> CreateAsync(
        FakeDiscordServer server, ulong channelId, MessagePayload payload, JsonObject author, ulong? webhookId = null)
    {
        var id = server.Store.Ids.Next();
        var attachments = new JsonArray();
        foreach (var (field, fileName, content) in payload.Files)
        {
            var attachmentId = server.Store.Ids.Next();
            attachments.Add(new JsonObject
            {
                ["id"] = attachmentId.ToString(),
                ["filename"] = fileName,
                ["size"] = content.Length,
                ["url"] = server.AttachmentUrl(channelId, attachmentId, fileName),
            });
            lock (server.Store.Gate)
            {
                server.Store.Uploads.Add(new UploadedFile(id, field, fileName, content));
                server.Store.Attachments[attachmentId] = (fileName, content);
            }
        }

        var body = payload.Body;
        var message = new JsonObject
        {
            ["id"] = id.ToString(),
            ["channel_id"] = channelId.ToString(),
            ["guild_id"] = server.GuildId.ToString(),
            ["author"] = author,
            // Discord strips leading and trailing whitespace from content.
            ["content"] = (Validation.String(body["content"]) ?? "").Trim(),
            ["type"] = 0,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["edited_timestamp"] = null,
            ["mention_everyone"] = false,
            ["embeds"] = body["embeds"]?.DeepClone() ?? new JsonArray(),
            ["components"] = body["components"]?.DeepClone() ?? new JsonArray(),
            ["attachments"] = attachments,
        };
        if (body["message_reference"] is JsonObject reference)
        {
            // A reply: type 19, pointing at a message of the same channel.
            message["message_reference"] = reference.DeepClone();
            message["type"] = 19;
        }

        if (webhookId is { } webhook)
        {
            message["webhook_id"] = webhook.ToString();
        }

        lock (server.Store.Gate)
        {
            server.Store.Messages[id] = message;
        }

        // The nonce comes back in the create's answer and its MESSAGE_CREATE only: a later read of the message lacks it.
        var created = (JsonObject)message.DeepClone();
        if (body["nonce"] is { } nonce)
        {
            created["nonce"] = nonce.DeepClone();
        }

        await server.Gateway.DispatchAsync("MESSAGE_CREATE", created.DeepClone());
        return created;
    }

    public static JsonObject? Find(FakeDiscordServer server, string channelId, string messageId)
    {
        lock (server.Store.Gate)
        {
            return ulong.TryParse(messageId, out var id) && server.Store.Messages.TryGetValue(id, out var m)
                && (string?)m["channel_id"] == channelId ? m : null;
        }
    }

    /// <summary>Applies an edit and dispatches MESSAGE_UPDATE with the whole edited message, as Discord does since 2024.</summary>
    public static async Task<JsonObject> EditAsync(FakeDiscordServer server, JsonObject message, JsonObject body)
    {
        JsonObject updated;
        lock (server.Store.Gate)
        {
            foreach (var field in new[] { "content", "embeds", "components" })
            {
                if (body.ContainsKey(field))
                {
                    message[field] = field == "content" && Validation.String(body[field]) is { } text ? JsonValue.Create(text.Trim()) : body[field]?.DeepClone();
                }
            }

            message["edited_timestamp"] = DateTimeOffset.UtcNow.ToString("O");
            updated = (JsonObject)message.DeepClone();
        }

        await server.Gateway.DispatchAsync("MESSAGE_UPDATE", UpdateEvent(updated));
        return updated;
    }

    /// <summary>
    /// MESSAGE_UPDATE as Discord sends it since 2024: the whole message after the change, not only what changed. A
    /// real edit has a new edited_timestamp; an embed unfurl keeps the old one (null when never edited), and a
    /// client must not take it for an edit.
    /// </summary>
    public static JsonObject UpdateEvent(JsonObject message) => (JsonObject)message.DeepClone();

    public static async Task DeleteAsync(FakeDiscordServer server, JsonObject message)
    {
        lock (server.Store.Gate)
        {
            server.Store.Messages.Remove(ulong.Parse((string)message["id"]!));
        }

        await server.Gateway.DispatchAsync("MESSAGE_DELETE", new JsonObject
        {
            ["id"] = message["id"]!.DeepClone(),
            ["channel_id"] = message["channel_id"]!.DeepClone(),
            ["guild_id"] = message["guild_id"]!.DeepClone(),
        });
    }
}
