namespace SupportTicket.Discord.Models;

public static class ChannelTypes
{
    public const int GuildText = 0;
    public const int GuildCategory = 4;
}

public sealed record DiscordChannel(
    ulong Id,
    int Type,
    ulong? GuildId = null,
    string? Name = null,
    ulong? ParentId = null,
    string? Topic = null,
    IReadOnlyList<PermissionOverwrite>? PermissionOverwrites = null);

public sealed record PermissionOverwrite(ulong Id, int Type, ulong Allow = 0, ulong Deny = 0);

public sealed record CreateChannelRequest(
    string Name,
    int Type = ChannelTypes.GuildText,
    ulong? ParentId = null,
    string? Topic = null,
    IReadOnlyList<PermissionOverwrite>? PermissionOverwrites = null);

public sealed record ModifyChannelRequest(
    string? Name = null,
    ulong? ParentId = null,
    string? Topic = null,
    IReadOnlyList<PermissionOverwrite>? PermissionOverwrites = null);

public sealed record DiscordGuild(ulong Id, string? Name = null, IReadOnlyList<DiscordChannel>? Channels = null);
