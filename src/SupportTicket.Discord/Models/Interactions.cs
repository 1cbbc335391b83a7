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

public sealed record ApplicationCommandOption(int Type, string Name, string Description, bool? Required = null);

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
    IReadOnlyList<InteractionOption>? Options = null);

public sealed record InteractionOption(string Name, int Type, JsonElement? Value = null);

public static class InteractionCallbackTypes
{
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int DeferredUpdateMessage = 6;
}

public sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null);

public sealed record InteractionCallbackData
{
    public string? Content { get; init; }
    public int? Flags { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    public const int Ephemeral = 64;
}

public sealed record GatewayBotInfo(string Url, int Shards, SessionStartLimit SessionStartLimit);

public sealed record SessionStartLimit(int Total, int Remaining, int ResetAfter, int MaxConcurrency);
