using System.Globalization;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Discord;

public static class DiscordMembers
{
    public const string IdPrefix = "discord:";

    public static bool IsSupport(GuildMember? member, DiscordBotOptions options) =>
        member?.Roles is { } roles && roles.Any(options.StaffRoles.Contains);

    // author_id discord:<user id>, name nick → global name → username; ADMIN for the admin role, AGENT otherwise. The
    // same id every time, so MessageService's author rule lets the agent edit and delete their own replies.
    public static CurrentUser AsUser(DiscordUser user, GuildMember? member, DiscordBotOptions options)
    {
        var name = FirstNonEmpty(member?.Nick, user.GlobalName, user.Username) ?? user.Id.ToString(CultureInfo.InvariantCulture);
        var admin = options.AdminRoleId is { } a && member?.Roles?.Any(r => r.ToString(CultureInfo.InvariantCulture) == a) == true;
        return new CurrentUser(IdPrefix + user.Id.ToString(CultureInfo.InvariantCulture), name, null, admin ? Roles.Admin : Roles.Agent)
        {
            ViaDiscord = true,
        };
    }

    public static CurrentUser Bot(ulong botUserId) =>
        new(IdPrefix + botUserId.ToString(CultureInfo.InvariantCulture), "Discord", null, Roles.Agent) { ViaDiscord = true };

    // Cleaned here too: the name reaches transcripts and the widget, and a blank-padded nick must not pass as empty-looking.
    private static string? FirstNonEmpty(params string?[] values) =>
        values.Select(SupportTicket.Discord.Helpers.DisplayNames.Clean).FirstOrDefault(v => v.Length > 0);
}
