using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Server.Discord;

// Members of the guild read through REST, for messages that arrive without one (the backfill reads history, and history
// carries no member). Kept a minute, so a backfill of many messages by a few agents costs a few calls.
public sealed class GuildMembers(DiscordRestClient rest, IOptions<DiscordBotOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<ulong, (GuildMember? Member, DateTimeOffset At)> _members = new();

    public async Task<GuildMember?> GetAsync(ulong userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_members.TryGetValue(userId, out var known) && now - known.At < Keep) return known.Member;
        GuildMember? member;
        try
        {
            member = await rest.GetGuildMemberAsync(options.Value.Guild, userId, ct);
        }
        catch (DiscordRestException e) when (e.Code == DiscordErrorCodes.UnknownMember)
        {
            member = null;
        }
        _members[userId] = (member, now);
        return member;
    }
}
