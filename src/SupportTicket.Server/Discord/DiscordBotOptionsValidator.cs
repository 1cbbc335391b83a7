using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Discord;

internal sealed class DiscordBotOptionsValidator : IValidateOptions<DiscordBotOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordBotOptions options)
    {
        // The ids are parsed by the options' own getters, which throw the line naming the setting: the same parse
        // the bot uses later, so a value accepted here cannot fail there.
        try
        {
            Check(options);
            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }

    private static void Check(DiscordBotOptions o)
    {
        if (!o.Enabled) return;
        Required(o.GuildId, "GUILD_ID");
        Required(o.GeneralCategoryId, "GENERAL_TICKET_CATEGORY_ID");
        Required(o.UrgentCategoryId, "URGENT_TICKET_CATEGORY_ID");
        Required(o.CriticalCategoryId, "CRITICAL_TICKET_CATEGORY_ID");
        Required(o.TranscriptChannelId, "TRANSCRIPT_CHANNEL_ID");
        _ = o.Overflow;
        _ = o.Archive;
        _ = o.Log;
        foreach (var level in o.Levels.Keys)
        {
            if (!Tickets.IssueLevel.All.Contains(level, StringComparer.OrdinalIgnoreCase))
                throw new ConfigurationException($"Discord:Levels:{level} is not an issue level (one of {string.Join(", ", Tickets.IssueLevel.All)})");
            Required(o.Levels[level].RoleId, $"Discord:Levels:{level}:RoleId");
        }
        if (o.SupportRoles.Count == 0)
            throw new ConfigurationException("SUPPORT_TEAM_ROLE_ID: DISCORD_BOT_TOKEN is set but none of ADMIN_ROLE_ID, MANAGER_ROLE_ID, DEVELOPER_ROLE_ID, SUPPORT_TEAM_ROLE_ID is, so nobody could see ticket channels");
        if (!o.ArchiveClosed && !string.Equals(o.ClosedChannels, "Delete", StringComparison.OrdinalIgnoreCase))
            throw new ConfigurationException($"Discord:ClosedChannels must be Delete or Archive, not '{o.ClosedChannels}'");
        if (!string.IsNullOrWhiteSpace(o.PublicBaseUrl)
            && !(Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            throw new ConfigurationException($"Discord:PublicBaseUrl must be an http or https URL, not '{o.PublicBaseUrl}'");
        if (o.ArchiveClosed && o.Archive is null)
            throw new ConfigurationException("Discord:ArchiveCategoryId is required when Discord:ClosedChannels is Archive");
        if (o.MoveRetrySeconds is < 1 or > 86_400)
            throw new ConfigurationException("Discord:MoveRetrySeconds must be between 1 and 86400");
        if (o.NonceWindowSeconds is < 1 or > 600)
            throw new ConfigurationException("Discord:NonceWindowSeconds must be between 1 and 600 (Discord keeps a nonce for a few minutes)");
    }

    private static void Required(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ConfigurationException($"{name} is required when DISCORD_BOT_TOKEN is set");
        _ = DiscordBotOptions.Id(value, name);
    }
}
