using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Http;
using static SupportTicket.FakeDiscord.Http.DiscordErrors;

namespace SupportTicket.FakeDiscord.Endpoints;

internal static class ChannelEndpoints
{
    /// <summary>What the bot role holds at guild level: ticket bits plus MANAGE_CHANNELS and MANAGE_ROLES, no ADMINISTRATOR.</summary>
    public const ulong BotPermissions = 1024 | 2048 | 8192 | 16384 | 32768 | 65536 | 16 | 268435456 | 536870912;

    public static void MapChannels(this RouteGroupBuilder api, FakeDiscordServer server)
    {
        api.MapGet("/gateway/bot", () => Json(new JsonObject
        {
            ["url"] = server.GatewayUrl,
            ["shards"] = 1,
            ["session_start_limit"] = server.Gateway.SessionStartLimit(),
        })).Discord();

        api.MapPost("/guilds/{guild_id}/channels", (HttpRequest request, string guild_id) => CreateAsync(server, request, guild_id))
            .Discord("guild_id");
        api.MapPatch("/channels/{channel_id}", (HttpRequest request, string channel_id) => ModifyAsync(server, request, channel_id))
            .Discord("channel_id");
        api.MapDelete("/channels/{channel_id}", (string channel_id) => DeleteAsync(server, channel_id)).Discord("channel_id");
    }

    private static async Task<IResult> CreateAsync(FakeDiscordServer server, HttpRequest request, string guildId)
    {
        if (!Validation.TryRouteId(guildId, out var id) || id != server.GuildId)
        {
            return Error(404, 10004, "Unknown Guild");
        }

        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        var name = Validation.String(body["name"]);
        if (name is not { Length: >= 1 and <= 100 })
        {
            return InvalidForm("name must be 1–100 characters");
        }

        var type = Validation.Int(body["type"]) ?? 0;
        var parent = body["parent_id"];
        ulong parentId = 0;
        if (parent is not null && (!Validation.TrySnowflake(parent, out parentId) || !IsCategory(server, parentId)))
        {
            return InvalidForm("parent_id must be the string id of a category");
        }

        if (Validation.CheckOverwrites(body["permission_overwrites"], BotPermissions) is { } bad)
        {
            return bad;
        }

        if (parent is not null && server.HasNoAccess(parentId))
        {
            return Error(403, 50013, "Missing Permissions");
        }

        if (Validation.String(body["topic"])?.Length > 1024)
        {
            return InvalidForm("topic must be 1024 or fewer in length");
        }

        var channelId = server.Store.Ids.Next();
        var channel = new JsonObject
        {
            ["id"] = channelId.ToString(),
            ["type"] = type,
            ["guild_id"] = server.GuildId.ToString(),
            ["name"] = type == 0 ? Validation.NormalizeChannelName(name) : name,
            ["parent_id"] = parent is null ? null : parentId.ToString(),
            ["topic"] = body["topic"]?.DeepClone(),
            ["permission_overwrites"] = body["permission_overwrites"]?.DeepClone() ?? new JsonArray(),
        };
        lock (server.Store.Gate)
        {
            if (server.Store.Channels.Count >= server.Options.MaxGuildChannels)
            {
                return Error(400, 30013, $"Maximum number of guild channels reached ({server.Options.MaxGuildChannels})");
            }

            if (parent is not null && CategoryFull(server, parentId, channelId) is { } full)
            {
                return full;
            }

            server.Store.Channels[channelId] = channel;
        }

        await server.Gateway.DispatchAsync("CHANNEL_CREATE", channel.DeepClone());
        return Json(channel.DeepClone(), 201);
    }

    private static async Task<IResult> ModifyAsync(FakeDiscordServer server, HttpRequest request, string channelId)
    {
        if (Find(server, channelId) is not { } channel)
        {
            return UnknownChannel();
        }

        if (!Validation.IsJson(request) || await Validation.ReadJsonAsync(request) is not JsonObject body)
        {
            return InvalidForm("expected a JSON object body");
        }

        if (body["parent_id"] is { } parent && (!Validation.TrySnowflake(parent, out var parentId) || !IsCategory(server, parentId)))
        {
            return InvalidForm("parent_id must be the string id of a category");
        }

        if (Validation.CheckOverwrites(body["permission_overwrites"], BotPermissions) is { } bad)
        {
            return bad;
        }

        if (body["parent_id"] is JsonValue targetValue && ulong.TryParse((string?)targetValue, out var targetId) && server.HasNoAccess(targetId))
        {
            return Error(403, 50013, "Missing Permissions");
        }

        JsonObject updated;
        lock (server.Store.Gate)
        {
            if (body["parent_id"] is { } target && CategoryFull(server, ulong.Parse((string)target!), ulong.Parse(channelId)) is { } full)
            {
                return full;
            }

            foreach (var field in new[] { "name", "parent_id", "topic", "permission_overwrites" })
            {
                if (body.ContainsKey(field))
                {
                    channel[field] = field == "name"
                        ? Validation.NormalizeChannelName(Validation.String(body[field]) ?? "")
                        : body[field]?.DeepClone();
                }
            }

            updated = (JsonObject)channel.DeepClone();
        }

        await server.Gateway.DispatchAsync("CHANNEL_UPDATE", updated.DeepClone());
        return Json(updated);
    }

    private static async Task<IResult> DeleteAsync(FakeDiscordServer server, string channelId)
    {
        if (Find(server, channelId) is not { } channel)
        {
            return UnknownChannel();
        }

        lock (server.Store.Gate)
        {
            var id = ulong.Parse(channelId);
            server.Store.Channels.Remove(id);
            // Discord deletes a channel's webhooks with it.
            foreach (var webhook in server.Store.Webhooks.Values.Where(w => w.ChannelId == id).ToList())
            {
                server.Store.Webhooks.Remove(webhook.Id);
            }
        }

        await server.Gateway.DispatchAsync("CHANNEL_DELETE", channel.DeepClone());
        return Json(channel);
    }

    internal static JsonObject? Find(FakeDiscordServer server, string channelId)
    {
        lock (server.Store.Gate)
        {
            return Validation.TryRouteId(channelId, out var id) && server.Store.Channels.TryGetValue(id, out var channel) ? channel : null;
        }
    }

    /// <summary>Called under the store lock. A channel already in the category does not count against moving into it.</summary>
    private static IResult? CategoryFull(FakeDiscordServer server, ulong categoryId, ulong channelId)
    {
        var max = server.Options.MaxChannelsPerCategory;
        var children = server.Store.Channels.Values.Count(c =>
            (string?)c["parent_id"] == categoryId.ToString() && (string?)c["id"] != channelId.ToString());
        return children >= max
            ? FieldError("parent_id", "CHANNEL_PARENT_MAX_CHANNELS", $"Maximum number of channels in category reached ({max})")
            : null;
    }

    private static bool IsCategory(FakeDiscordServer server, ulong id)
    {
        lock (server.Store.Gate)
        {
            return server.Store.Channels.TryGetValue(id, out var c) && Validation.Int(c["type"]) == 4;
        }
    }
}
