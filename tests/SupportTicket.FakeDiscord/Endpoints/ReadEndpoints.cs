using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Http;
using static SupportTicket.FakeDiscord.Http.DiscordErrors;

namespace SupportTicket.FakeDiscord.Endpoints;

/// <summary>The GET routes: channels, the guild's channel list, a channel's webhooks, message history.</summary>
internal static class ReadEndpoints
{
    public static void MapReads(this RouteGroupBuilder api, FakeDiscordServer server)
    {
        api.MapGet("/channels/{channel_id}", (string channel_id) =>
            ChannelEndpoints.Find(server, channel_id) is { } c ? Json(Clone(server, c)) : UnknownChannel())
            .Discord("channel_id");
        api.MapGet("/guilds/{guild_id}/members/{user_id}", (string guild_id, string user_id) => Member(server, guild_id, user_id))
            .Discord("guild_id");
        api.MapGet("/guilds/{guild_id}/channels", (string guild_id) => GuildChannels(server, guild_id)).Discord("guild_id");
        api.MapGet("/channels/{channel_id}/webhooks", (string channel_id) => Webhooks(server, channel_id)).Discord("channel_id");
        api.MapGet("/channels/{channel_id}/messages/{message_id}", (string channel_id, string message_id) =>
            MessageFactory.Find(server, channel_id, message_id) is { } m ? Json(WithoutMember(Clone(server, m))) : UnknownMessage())
            .Discord("channel_id");
        api.MapGet("/channels/{channel_id}/messages", (HttpRequest request, string channel_id) => Messages(server, request, channel_id))
            .Discord("channel_id");
    }

    private static IResult GuildChannels(FakeDiscordServer server, string guildId)
    {
        if (!Validation.TryRouteId(guildId, out var id) || id != server.GuildId)
        {
            return Error(404, 10004, "Unknown Guild");
        }

        lock (server.Store.Gate)
        {
            return Json(new JsonArray(server.Store.Channels.Values.Select(c => (JsonNode)c.DeepClone()).ToArray()));
        }
    }

    private static IResult Member(FakeDiscordServer server, string guildId, string userId)
    {
        if (!Validation.TryRouteId(guildId, out var guild) || guild != server.GuildId)
        {
            return Error(404, 10004, "Unknown Guild");
        }

        lock (server.Store.Gate)
        {
            return Validation.TryRouteId(userId, out var id) && server.Store.Members.TryGetValue(id, out var member)
                ? Json(member.Member(withUser: true))
                : UnknownMember();
        }
    }

    /// <summary>Like Discord, messages read through REST carry no member object (only gateway events do).</summary>
    private static JsonObject WithoutMember(JsonObject message)
    {
        message.Remove("member");
        return message;
    }

    private static IResult Webhooks(FakeDiscordServer server, string channelId)
    {
        if (ChannelEndpoints.Find(server, channelId) is null)
        {
            return UnknownChannel();
        }

        lock (server.Store.Gate)
        {
            // Every fake webhook was created by the bot's application, so Discord would include its token.
            return Json(new JsonArray(server.Store.Webhooks.Values
                .Where(w => w.ChannelId.ToString() == channelId)
                .OrderBy(w => w.Id)
                .Select(w => (JsonNode)WebhookEndpoints.ToJson(server, w))
                .ToArray()));
        }
    }

    /// <summary>
    /// Discord's paging: after = the oldest <c>limit</c> messages newer than the id, before/none = the newest
    /// <c>limit</c> older than it, around = centred on it; every page sorted newest first.
    /// </summary>
    private static IResult Messages(FakeDiscordServer server, HttpRequest request, string channelId)
    {
        if (ChannelEndpoints.Find(server, channelId) is null)
        {
            return UnknownChannel();
        }

        var query = request.Query;
        var limit = 50;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], out limit) || limit is < 1 or > 100))
        {
            return FieldError("limit", "NUMBER_TYPE_MAX", "limit must be between 1 and 100");
        }

        var anchors = new[] { "after", "before", "around" }.Where(query.ContainsKey).ToList();
        if (anchors.Any(a => !ulong.TryParse(query[a], out _)))
        {
            return FieldError(anchors[0], "NUMBER_TYPE_COERCE", "Value is not snowflake.");
        }

        var all = server.Store.MessagesIn(ulong.Parse(channelId)).OrderBy(Id).ToList();
        IEnumerable<JsonObject> page;
        if (anchors.Contains("around"))
        {
            var around = ulong.Parse(query["around"]!);
            var older = all.Where(m => Id(m) < around).TakeLast(limit / 2);
            var newer = all.Where(m => Id(m) >= around).Take(limit - older.Count());
            page = older.Concat(newer);
        }
        else if (anchors.Contains("after"))
        {
            var after = ulong.Parse(query["after"]!);
            page = all.Where(m => Id(m) > after).Take(limit);
        }
        else
        {
            var before = anchors.Contains("before") ? ulong.Parse(query["before"]!) : ulong.MaxValue;
            page = all.Where(m => Id(m) < before).TakeLast(limit);
        }

        return Json(new JsonArray(page.OrderByDescending(Id).Select(m => (JsonNode)WithoutMember(m)).ToArray()));
    }

    private static ulong Id(JsonObject message) => ulong.Parse((string)message["id"]!);

    private static JsonObject Clone(FakeDiscordServer server, JsonObject node)
    {
        lock (server.Store.Gate)
        {
            return (JsonObject)node.DeepClone();
        }
    }
}
