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
    public Task<FakeInteraction> CreateInteractionAsync(
        ulong channelId, ulong userId, IEnumerable<ulong> roles, string? commandName = null, string? customId = null,
        IReadOnlyDictionary<string, string>? options = null)
    {
        var data = customId is null
            ? new JsonObject { ["name"] = commandName ?? "close", ["type"] = 1, ["options"] = StringOptions(options) }
            : new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        return CreateInteractionAsync(channelId, new FakeMember(userId, roles.ToList(), "agent"), customId is null ? 2 : 3, data);
    }

    /// <summary>A slash command with a subcommand (<c>/tickets mine</c>) and its string options.</summary>
    public Task<FakeInteraction> SubcommandAsync(ulong channelId, FakeMember member, string command, string subcommand,
        IReadOnlyDictionary<string, string>? options = null) =>
        CreateInteractionAsync(channelId, member, 2, new JsonObject
        {
            ["name"] = command, ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = StringOptions(options) }),
        });

    /// <summary>A command with a user option (type 6): like Discord, the member and user it names come in data.resolved.</summary>
    public Task<FakeInteraction> UserOptionCommandAsync(ulong channelId, FakeMember member, string command, string option, ulong targetUserId) =>
        CreateInteractionAsync(channelId, member, 2, new JsonObject
        {
            ["name"] = command, ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = option, ["type"] = 6, ["value"] = targetUserId.ToString() }),
        });

    /// <summary>The member is typing a command's string option that has autocomplete (interaction type 4).</summary>
    public Task<FakeInteraction> AutocompleteAsync(ulong channelId, FakeMember member, string command, string option, string typed) =>
        CreateInteractionAsync(channelId, member, 4, new JsonObject
        {
            ["name"] = command, ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = option, ["type"] = 3, ["value"] = typed, ["focused"] = true }),
        });

    /// <summary>The member submits a modal the bot showed (interaction type 5), with its text inputs' values.</summary>
    public Task<FakeInteraction> SubmitModalAsync(ulong channelId, FakeMember member, string customId, IReadOnlyDictionary<string, string> inputs) =>
        CreateInteractionAsync(channelId, member, 5, new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray(inputs.Select(i => (JsonNode)new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = i.Key, ["value"] = i.Value }),
            }).ToArray()),
        });

    /// <summary>Dispatches INTERACTION_CREATE of any type; user options (type 6) get their data.resolved from the guild's members.</summary>
    public async Task<FakeInteraction> CreateInteractionAsync(ulong channelId, FakeMember member, int type, JsonObject data)
    {
        var interaction = new FakeInteraction(Store.Ids.Next(), "itoken-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, type);
        lock (Store.Gate)
        {
            Store.Interactions[interaction.Id] = interaction;
            if (Resolve(data) is { } resolved) data["resolved"] = resolved;
        }

        await Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = interaction.Id.ToString(),
            ["application_id"] = ApplicationId.ToString(),
            ["type"] = type,
            ["token"] = interaction.Token,
            ["channel_id"] = channelId.ToString(),
            ["guild_id"] = GuildId.ToString(),
            ["member"] = member.Member(withUser: true),
            ["data"] = data,
        });
        return interaction;
    }

    private JsonObject? Resolve(JsonObject data)
    {
        var ids = (data["options"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(o => (int?)o["type"] == 6).Select(o => ulong.Parse((string)o["value"]!)).ToList();
        if (ids.Count == 0) return null;
        var users = new JsonObject();
        var members = new JsonObject();
        foreach (var id in ids)
        {
            var known = Store.Members.GetValueOrDefault(id) ?? new FakeMember(id, []);
            users[id.ToString()] = known.User();
            if (Store.Members.ContainsKey(id)) members[id.ToString()] = known.Member(withUser: false);
        }
        return new JsonObject { ["users"] = users, ["members"] = members };
    }

    private static JsonArray StringOptions(IReadOnlyDictionary<string, string>? options) =>
        new((options ?? new Dictionary<string, string>()).Select(o => (JsonNode)new JsonObject { ["name"] = o.Key, ["type"] = 3, ["value"] = o.Value }).ToArray());
}
