using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord;

public sealed partial class FakeDiscordServer
{
    private void SeedGuild()
    {
        GuildId = Store.Ids.Next();
        BotUserId = Store.Ids.Next();
        ApplicationId = Store.Ids.Next();
        GeneralCategoryId = AddChannel("GENERAL", 4, null);
        AddChannel("URGENT", 4, null);
        AddChannel("CRITICAL", 4, null);
        ArchiveCategoryId = AddChannel("ARCHIVE", 4, null);
        GeneralTextChannelId = AddChannel("general", 0, null);
    }

    /// <summary>Adds a channel directly, as if someone created it by hand in the Discord UI.</summary>
    public ulong AddChannel(string name, int type, ulong? parentId)
    {
        var id = Store.Ids.Next();
        lock (Store.Gate)
        {
            Store.Channels[id] = new JsonObject
            {
                ["id"] = id.ToString(),
                ["type"] = type,
                ["guild_id"] = GuildId.ToString(),
                ["name"] = name,
                ["parent_id"] = parentId?.ToString(),
                ["permission_overwrites"] = new JsonArray(),
            };
        }

        return id;
    }

    internal JsonObject GuildCreatePayload()
    {
        lock (Store.Gate)
        {
            return new JsonObject
            {
                ["id"] = GuildId.ToString(),
                ["name"] = "Fake Support Guild",
                ["channels"] = new JsonArray(Store.Channels.Values.Select(c => (JsonNode)c.DeepClone()).ToArray()),
            };
        }
    }

    internal JsonObject BotUser() => new()
    {
        ["id"] = BotUserId.ToString(),
        ["username"] = "SupportTicket",
        ["bot"] = true,
    };
}
