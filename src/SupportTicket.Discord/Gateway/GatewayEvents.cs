using System.Text.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Gateway;

/// <summary>A dispatch (op 0) from the Gateway. Sequence is Discord's <c>s</c>; events may still repeat across sessions.</summary>
public abstract record GatewayEvent(string Name)
{
    public int Sequence { get; init; }
}

public sealed record ReadyEvent(string SessionId, string ResumeGatewayUrl, DiscordUser User, ulong ApplicationId) : GatewayEvent("READY");

public sealed record ResumedEvent() : GatewayEvent("RESUMED");

public sealed record GuildCreateEvent(DiscordGuild Guild) : GatewayEvent("GUILD_CREATE");

public sealed record MessageCreateEvent(DiscordMessage Message) : GatewayEvent("MESSAGE_CREATE");

/// <summary>Partial: any field but id and channel_id may be missing, which means unchanged.</summary>
public sealed record MessageUpdateEvent(DiscordMessage Message) : GatewayEvent("MESSAGE_UPDATE");

public sealed record MessageDeleteEvent(ulong Id, ulong ChannelId, ulong? GuildId) : GatewayEvent("MESSAGE_DELETE");

public sealed record MessageDeleteBulkEvent(IReadOnlyList<ulong> Ids, ulong ChannelId, ulong? GuildId) : GatewayEvent("MESSAGE_DELETE_BULK");

public sealed record InteractionCreateEvent(DiscordInteraction Interaction) : GatewayEvent("INTERACTION_CREATE");

public sealed record ChannelDeleteEvent(DiscordChannel Channel) : GatewayEvent("CHANNEL_DELETE");

public sealed record ChannelCreateEvent(DiscordChannel Channel) : GatewayEvent("CHANNEL_CREATE");

public sealed record ChannelUpdateEvent(DiscordChannel Channel) : GatewayEvent("CHANNEL_UPDATE");

/// <summary>Someone started typing; needs the GUILD_MESSAGE_TYPING intent (<see cref="GatewayIntents.GuildMessageTyping"/>).</summary>
public sealed record TypingStartEvent(ulong ChannelId, ulong UserId, ulong? GuildId, GuildMember? Member, long Timestamp) : GatewayEvent("TYPING_START");

/// <summary>Any other dispatch, passed through untyped.</summary>
public sealed record UnknownDispatchEvent(string Type, JsonElement Data) : GatewayEvent(Type);
