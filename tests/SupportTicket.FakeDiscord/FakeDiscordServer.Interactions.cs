using System.Text.Json.Nodes;
using SupportTicket.FakeDiscord.Store;

namespace SupportTicket.FakeDiscord;

public sealed partial class FakeDiscordServer
{
    /// <summary>
    /// Someone ran a slash command (type 2) or clicked a button (type 3, when customId is set):
    /// dispatches INTERACTION_CREATE and returns the id and token the callback must use within 3 s.
    /// <paramref name="options"/> are the command's string options (name → value).
    /// </summary>
    public async Task<FakeInteraction> CreateInteractionAsync(
        ulong channelId, ulong userId, IEnumerable<ulong> roles, string? commandName = null, string? customId = null,
        IReadOnlyDictionary<string, string>? options = null)
    {
        var interaction = new FakeInteraction(Store.Ids.Next(), "itoken-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        lock (Store.Gate)
        {
            Store.Interactions[interaction.Id] = interaction;
        }

        var data = customId is null
            ? new JsonObject { ["name"] = commandName ?? "close", ["type"] = 1, ["options"] = new JsonArray((options ?? new Dictionary<string, string>())
                .Select(o => (JsonNode)new JsonObject { ["name"] = o.Key, ["type"] = 3, ["value"] = o.Value }).ToArray()) }
            : new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        await Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = interaction.Id.ToString(),
            ["application_id"] = ApplicationId.ToString(),
            ["type"] = customId is null ? 2 : 3,
            ["token"] = interaction.Token,
            ["channel_id"] = channelId.ToString(),
            ["guild_id"] = GuildId.ToString(),
            ["member"] = new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = userId.ToString(), ["username"] = "agent" },
                ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r.ToString()).ToArray()),
            },
            ["data"] = data,
        });
        return interaction;
    }
}
