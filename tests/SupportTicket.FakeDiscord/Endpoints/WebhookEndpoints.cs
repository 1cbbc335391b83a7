using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Http;
using SupportTicket.FakeDiscord.Store;
using static SupportTicket.FakeDiscord.Http.DiscordErrors;

namespace SupportTicket.FakeDiscord.Endpoints;

internal static class WebhookEndpoints
{
    public static void MapWebhooks(this RouteGroupBuilder api, FakeDiscordServer server)
    {
        api.MapPost("/channels/{channel_id}/webhooks", (HttpRequest request, string channel_id) => CreateAsync(server, request, channel_id))
            .Discord("channel_id");
        api.MapPost("/webhooks/{webhook_id}/{webhook_token}",
            (HttpRequest request, string webhook_id, string webhook_token) => ExecuteAsync(server, request, webhook_id, webhook_token))
            .DiscordTokenRoute(false, "webhook_id", "webhook_token");
        api.MapPatch("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
            (HttpRequest request, string webhook_id, string webhook_token, string message_id) =>
                EditAsync(server, request, webhook_id, webhook_token, message_id))
            .DiscordTokenRoute(false, "webhook_id", "webhook_token");
        api.MapDelete("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
            (string webhook_id, string webhook_token, string message_id) => DeleteAsync(server, webhook_id, webhook_token, message_id))
            .DiscordTokenRoute(false, "webhook_id", "webhook_token");
    }

    /// <summary>Webhook names and username overrides: 1–80 characters, without "clyde" or "discord".</summary>
    public static IResult? CheckName(string? name, string field) => name switch
    {
        null or { Length: 0 or > 80 } => InvalidForm($"{field} must be 1–80 characters"),
        _ when name.Contains("discord", StringComparison.OrdinalIgnoreCase) || name.Contains("clyde", StringComparison.OrdinalIgnoreCase)
            => Error(400, 50035, "Invalid Form Body", "USERNAME_INVALID_CONTAINS"),
        _ => null,
    };

    private static async Task<IResult> CreateAsync(FakeDiscordServer server, HttpRequest request, string channelId)
    {
        if (ChannelEndpoints.Find(server, channelId) is null)
        {
            return UnknownChannel();
        }

        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        var name = Validation.String(body["name"]);
        if (CheckName(name, "name") is { } bad)
        {
            return bad;
        }

        var channel = ulong.Parse(channelId);
        var webhook = new FakeWebhook(server.Store.Ids.Next(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('/', '_').Replace('+', '-'), channel, name!);
        lock (server.Store.Gate)
        {
            var max = server.Options.MaxWebhooksPerChannel;
            if (server.Store.Webhooks.Values.Count(w => w.ChannelId == channel) >= max)
            {
                return Error(400, 30007, $"Maximum number of webhooks reached ({max})");
            }

            server.Store.Webhooks[webhook.Id] = webhook;
        }

        return Json(ToJson(server, webhook));
    }

    public static JsonObject ToJson(FakeDiscordServer server, FakeWebhook webhook) => new()
    {
        ["id"] = webhook.Id.ToString(),
        ["type"] = 1,
        ["token"] = webhook.Token,
        ["channel_id"] = webhook.ChannelId.ToString(),
        ["guild_id"] = server.GuildId.ToString(),
        ["name"] = webhook.Name,
        ["application_id"] = server.ApplicationId.ToString(),
    };

    private static async Task<IResult> ExecuteAsync(FakeDiscordServer server, HttpRequest request, string webhookId, string token)
    {
        if (Authenticate(server, webhookId, token, out var webhook) is { } denied)
        {
            return denied;
        }

        var (payload, error) = await MessagePayload.ReadAsync(request, server.Options.MaxFileSize);
        if (error is not null)
        {
            return error;
        }

        var username = Validation.String(payload!.Body["username"]);
        var invalid = (username is not null ? CheckName(username, "username") : null) ?? MessageRules.Validate(payload.Body, payload.Files.Count);
        if (invalid is not null)
        {
            return invalid;
        }

        var channel = webhook!.ChannelId;
        if (request.Query.TryGetValue("thread_id", out var thread))
        {
            // A thread of the webhook's channel: a channel (type 11/12) whose parent_id is the webhook's channel.
            if (ChannelEndpoints.Find(server, thread.ToString()) is not { } t || (string?)t["parent_id"] != channel.ToString())
            {
                return UnknownChannel();
            }

            channel = ulong.Parse(thread.ToString());
        }

        if (TakeWebhookSlot(server, channel) is { } retryAfter)
        {
            server.CountWebhookSublimit();
            request.HttpContext.Response.Headers["Retry-After"] = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.HttpContext.Response.Headers["X-RateLimit-Scope"] = "user";
            return Json(new JsonObject
            {
                ["message"] = "You are being rate limited.",
                ["retry_after"] = Math.Round(retryAfter.TotalSeconds, 3),
                ["global"] = false,
            }, 429);
        }

        var author = new JsonObject { ["id"] = webhook.Id.ToString(), ["username"] = username ?? webhook.Name, ["bot"] = true };
        var message = await MessageFactory.CreateAsync(server, channel, payload, author, webhook.Id);
        return request.Query["wait"] == "true" ? Json(message) : Results.NoContent();
    }

    private static async Task<IResult> EditAsync(FakeDiscordServer server, HttpRequest request, string webhookId, string token, string messageId)
    {
        if (Validation.TryRouteId(webhookId, out var appId) && appId == server.ApplicationId)
        {
            return await InteractionEndpoints.EditOriginalAsync(server, request, token, messageId);
        }

        if (Authenticate(server, webhookId, token, out var webhook) is { } denied)
        {
            return denied;
        }

        if (MessageFactory.Find(server, webhook!.ChannelId.ToString(), messageId) is not { } message || (string?)message["webhook_id"] != webhookId)
        {
            return UnknownMessage();
        }

        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        return MessageRules.Validate(body, 0, isEdit: true) ?? Json(await MessageFactory.EditAsync(server, message, body));
    }

    private static async Task<IResult> DeleteAsync(FakeDiscordServer server, string webhookId, string token, string messageId)
    {
        if (Authenticate(server, webhookId, token, out var webhook) is { } denied)
        {
            return denied;
        }

        if (MessageFactory.Find(server, webhook!.ChannelId.ToString(), messageId) is not { } message || (string?)message["webhook_id"] != webhookId)
        {
            return UnknownMessage();
        }

        await MessageFactory.DeleteAsync(server, message);
        return Results.NoContent();
    }

    /// <summary>Null when the channel's webhook sublimit has room (and the post is counted), else how long until it has.</summary>
    private static TimeSpan? TakeWebhookSlot(FakeDiscordServer server, ulong channel)
    {
        lock (server.Store.Gate)
        {
            var now = server.Now;
            if (!server.Store.WebhookPosts.TryGetValue(channel, out var posts))
            {
                server.Store.WebhookPosts[channel] = posts = new Queue<TimeSpan>();
            }

            while (posts.Count > 0 && now - posts.Peek() >= server.Options.WebhookWindow)
            {
                posts.Dequeue();
            }

            if (posts.Count >= server.Options.WebhookPostsPerChannel)
            {
                return server.Options.WebhookWindow - (now - posts.Peek());
            }

            posts.Enqueue(now);
            return null;
        }
    }

    private static IResult? Authenticate(FakeDiscordServer server, string webhookId, string token, out FakeWebhook? webhook)
    {
        lock (server.Store.Gate)
        {
            webhook = Validation.TryRouteId(webhookId, out var id) && server.Store.Webhooks.TryGetValue(id, out var w) ? w : null;
        }

        return webhook is null ? UnknownWebhook() : webhook.Token != token ? InvalidWebhookToken() : null;
    }
}
