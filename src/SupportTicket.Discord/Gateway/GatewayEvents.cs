using System.Text.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Gateway;

public abstract record GatewayEvent(string Name)
{
    public int Sequence { get; init; }
}

public sealed record ReadyEvent(string SessionId, string ResumeGatewayUrl, DiscordUser User, ulong ApplicationId) : GatewayEvent("READY");

public sealed record ResumedEvent() : GatewayEvent("RESUMED");

public sealed record GuildCreateEvent(DiscordGuild Guild) : GatewayEvent("GUILD_CREATE");

public sealed record MessageCreateEvent(DiscordMessage Message) : GatewayEvent("MESSAGE_CREATE");

// Partial: any field but id and channel_id may be missing, which means unchanged.
public sealed record MessageUpdateEvent(DiscordMessage Message) : GatewayEvent("MESSAGE_UPDATE");

public sealed record MessageDeleteEvent(ulong Id, ulong ChannelId, ulong? GuildId) : GatewayEvent("MESSAGE_DELETE");

public sealed record MessageDeleteBulkEvent(IReadOnlyList<ulong> Ids, ulong ChannelId, ulong? GuildId) : GatewayEvent("MESSAGE_DELETE_BULK");

public sealed record InteractionCreateEvent(DiscordInteraction Interaction) : GatewayEvent("INTERACTION_CREATE");

public sealed record ChannelDeleteEvent(DiscordChannel Channel) : GatewayEvent("CHANNEL_DELETE");

public sealed record ChannelCreateEvent(DiscordChannel Channel) : GatewayEvent("CHANNEL_CREATE");

public sealed record ChannelUpdateEvent(DiscordChannel Channel) : GatewayEvent("CHANNEL_UPDATE");

public sealed record TypingStartEvent(ulong ChannelId, ulong UserId, ulong? GuildId, GuildMember? Member, long Timestamp) : GatewayEvent("TYPING_START");

public sealed record UnknownDispatchEvent(string Type, JsonElement Data) : GatewayEvent(Type);
