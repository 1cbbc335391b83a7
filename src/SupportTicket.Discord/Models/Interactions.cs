using System.Text.Json;

namespace SupportTicket.Discord.Models;

public sealed record ApplicationCommand
{
    public ulong? Id { get; init; }
    public required string Name { get; init; }
    public int Type { get; init; } = 1;
    public required string Description { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public ulong? DefaultMemberPermissions { get; init; }
}

/// <summary>Type 1 is a subcommand (its own <see cref="Options"/>), 3 a string, 6 a user.</summary>
public sealed record ApplicationCommandOption(int Type, string Name, string Description, bool? Required = null)
{
    /// <summary>Discord asks the bot for choices as the member types (interaction type 4); strings only.</summary>
    public bool? Autocomplete { get; init; }
    /// <summary>The only values the member may pick (at most 25; not with <see cref="Autocomplete"/>).</summary>
    public IReadOnlyList<AutocompleteChoice>? Choices { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
}

public static class InteractionTypes
{
    public const int Command = 2;
    public const int Component = 3;
    public const int Autocomplete = 4;
    public const int ModalSubmit = 5;
}

public sealed record DiscordInteraction(
    ulong Id,
    ulong ApplicationId,
    int Type,
    string Token,
    ulong? ChannelId = null,
    ulong? GuildId = null,
    GuildMember? Member = null,
    InteractionData? Data = null);

public sealed record InteractionData(
    string? Name = null,
    string? CustomId = null,
    int? ComponentType = null,
    IReadOnlyList<InteractionOption>? Options = null,
    IReadOnlyList<MessageComponent>? Components = null,
    ResolvedData? Resolved = null);

/// <summary>A subcommand (type 1) carries its own options; <see cref="Focused"/> marks the one being typed in an autocomplete.</summary>
public sealed record InteractionOption(string Name, int Type, JsonElement? Value = null, IReadOnlyList<InteractionOption>? Options = null, bool? Focused = null);

/// <summary>The members and users a command's user options name, keyed by user id (members come without their user).</summary>
public sealed record ResolvedData(IReadOnlyDictionary<ulong, DiscordUser>? Users = null, IReadOnlyDictionary<ulong, GuildMember>? Members = null);

/// <summary>A choice: fixed on a command option, or offered in an autocomplete answer.</summary>
public sealed record AutocompleteChoice(string Name, string Value);

public static class InteractionCallbackTypes
{
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int DeferredUpdateMessage = 6;
    public const int AutocompleteResult = 8;
    public const int Modal = 9;
}

public sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null);

public sealed record InteractionCallbackData
{
    public string? Content { get; init; }
    public int? Flags { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    /// <summary>For an autocomplete result (at most 25).</summary>
    public IReadOnlyList<AutocompleteChoice>? Choices { get; init; }
    /// <summary>For a modal: its id and title (1–45 characters); <see cref="Components"/> hold its text inputs.</summary>
    public string? CustomId { get; init; }
    public string? Title { get; init; }
    public AllowedMentions? AllowedMentions { get; init; } = Models.AllowedMentions.None;

    public const int Ephemeral = 64;
}

public sealed record GatewayBotInfo(string Url, int Shards, SessionStartLimit SessionStartLimit);

public sealed record SessionStartLimit(int Total, int Remaining, int ResetAfter, int MaxConcurrency);
