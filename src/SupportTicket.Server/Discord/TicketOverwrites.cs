using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;

namespace SupportTicket.Server.Discord;

// Overwrites for a private ticket channel, after TicketsBot's CreateOverwrites: hide it from @everyone (whose role id
// is the guild id), then allow each support role and the bot member.
public static class TicketOverwrites
{
    private const int RoleType = 0;
    private const int MemberType = 1;

    public static IReadOnlyList<PermissionOverwrite> ForOpenTicket(
        ulong guildId, ulong botUserId, IEnumerable<ulong> supportRoleIds, bool allowEmbedLinks = false)
    {
        var roleAllow = allowEmbedLinks ? Permissions.SupportRole | Permissions.EmbedLinks : Permissions.SupportRole;
        var list = new List<PermissionOverwrite> { new(guildId, RoleType, Deny: Permissions.ViewChannel) };
        list.AddRange(supportRoleIds.Distinct().Select(id => new PermissionOverwrite(id, RoleType, Allow: roleAllow)));
        list.Add(new PermissionOverwrite(botUserId, MemberType, Allow: Permissions.BotMember));
        return list;
    }

    public static IReadOnlyList<PermissionOverwrite> ForArchivedTicket(ulong guildId, ulong botUserId, IEnumerable<ulong> supportRoleIds)
    {
        var roleAllow = Permissions.ViewChannel | Permissions.ReadMessageHistory;
        var list = new List<PermissionOverwrite> { new(guildId, RoleType, Deny: Permissions.ViewChannel) };
        list.AddRange(supportRoleIds.Distinct()
            .Select(id => new PermissionOverwrite(id, RoleType, Allow: roleAllow, Deny: Permissions.SendMessages)));
        list.Add(new PermissionOverwrite(botUserId, MemberType, Allow: Permissions.BotMember));
        return list;
    }
}
