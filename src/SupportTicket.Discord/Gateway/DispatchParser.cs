using System.Text.Json;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Gateway;

internal static class DispatchParser
{
    private sealed record ReadyPayload(string SessionId, string ResumeGatewayUrl, DiscordUser User, PartialApplication Application);

    private sealed record PartialApplication(ulong Id);

    private sealed record DeletePayload(ulong Id, ulong ChannelId, ulong? GuildId);

    private sealed record TypingPayload(ulong ChannelId, ulong UserId, ulong? GuildId, GuildMember? Member, long Timestamp);

    private sealed record DeleteBulkPayload(IReadOnlyList<ulong> Ids, ulong ChannelId, ulong? GuildId);

    public static GatewayEvent Parse(string type, JsonElement d, int sequence)
    {
        GatewayEvent ev = type switch
        {
            "READY" => Ready(d),
            "RESUMED" => new ResumedEvent(),
            "GUILD_CREATE" => new GuildCreateEvent(As<DiscordGuild>(d)),
            "MESSAGE_CREATE" => new MessageCreateEvent(As<DiscordMessage>(d)),
            "MESSAGE_UPDATE" => new MessageUpdateEvent(As<DiscordMessage>(d)),
            "MESSAGE_DELETE" => Delete(As<DeletePayload>(d)),
            "MESSAGE_DELETE_BULK" => DeleteBulk(As<DeleteBulkPayload>(d)),
            "INTERACTION_CREATE" => new InteractionCreateEvent(As<DiscordInteraction>(d)),
            "CHANNEL_DELETE" => new ChannelDeleteEvent(As<DiscordChannel>(d)),
            "CHANNEL_CREATE" => new ChannelCreateEvent(As<DiscordChannel>(d)),
            "CHANNEL_UPDATE" => new ChannelUpdateEvent(As<DiscordChannel>(d)),
            "TYPING_START" => Typing(As<TypingPayload>(d)),
            _ => new UnknownDispatchEvent(type, d.Clone()),
        };
        return ev with { Sequence = sequence };
    }

    private static ReadyEvent Ready(JsonElement d)
    {
        var ready = As<ReadyPayload>(d);
        return new ReadyEvent(ready.SessionId, ready.ResumeGatewayUrl, ready.User, ready.Application.Id);
    }

    private static TypingStartEvent Typing(TypingPayload p) => new(p.ChannelId, p.UserId, p.GuildId, p.Member, p.Timestamp);

    private static MessageDeleteEvent Delete(DeletePayload p) => new(p.Id, p.ChannelId, p.GuildId);

    private static MessageDeleteBulkEvent DeleteBulk(DeleteBulkPayload p) => new(p.Ids, p.ChannelId, p.GuildId);

    private static T As<T>(JsonElement d) =>
        d.Deserialize<T>(DiscordJson.Options) ?? throw new JsonException($"Empty {typeof(T).Name} payload.");
}
