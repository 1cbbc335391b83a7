using System.Globalization;

namespace SupportTicket.Server.Discord;

// The bot's settings, section "Discord" (the same section the client library reads its token and URLs from, so
// DISCORD_BOT_TOKEN = Discord:Token is one setting). The bot is on exactly when the token is set.
public sealed class DiscordBotOptions
{
    public const string Section = "Discord";

    public string Token { get; set; } = "";
    public string? GuildId { get; set; }
    public string? TranscriptChannelId { get; set; }
    public string? GeneralCategoryId { get; set; }
    public string? UrgentCategoryId { get; set; }
    public string? CriticalCategoryId { get; set; }
    public string? OverflowCategoryId { get; set; }
    public string? ArchiveCategoryId { get; set; }
    public string? AdminRoleId { get; set; }
    public string? ManagerRoleId { get; set; }
    public string? DeveloperRoleId { get; set; }
    public string? SupportTeamRoleId { get; set; }
    public Dictionary<string, DiscordLevelOptions> Levels { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? LogChannelId { get; set; }
    public string ClosedChannels { get; set; } = "Delete";
    public string NotePrefix { get; set; } = "!note ";
    public int OutboxPollMs { get; set; } = 1000;
    public int RetryBaseMs { get; set; } = 1000;
    public int RetryMaxMs { get; set; } = 300_000;
    public int InboundMaxAttempts { get; set; } = 10;
    public int Parallelism { get; set; } = 8;

    public int MoveRetrySeconds { get; set; } = 60;

    // How long Discord is trusted to answer a repeated nonce with the first message ("a few minutes", undocumented). A
    // row first tried longer ago than this is looked for in the channel before it is posted again.
    public int NonceWindowSeconds { get; set; } = 120;

    public string? PublicBaseUrl { get; set; }
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    // Whether the bot is on, read before the container exists: it decides which services are registered at all. Only
    // the token is read here; the options themselves are bound and validated once (DiscordBotOptionsValidator).
    public static bool EnabledIn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Token)}"]);

    public bool ArchiveClosed => string.Equals(ClosedChannels, "Archive", StringComparison.OrdinalIgnoreCase);

    public ulong Guild => Id(GuildId, "GUILD_ID")!.Value;
    public ulong? Transcript => Id(TranscriptChannelId, "TRANSCRIPT_CHANNEL_ID");
    public ulong? Overflow => Id(OverflowCategoryId, "Discord:OverflowCategoryId");
    public ulong? Archive => Id(ArchiveCategoryId, "Discord:ArchiveCategoryId");
    public ulong? Log => Id(LogChannelId, "Discord:LogChannelId");

    public ulong? LevelRole(string issueLevel) =>
        Levels.TryGetValue(issueLevel, out var level) ? Id(level.RoleId, $"Discord:Levels:{issueLevel}:RoleId") : null;

    /// <summary>Who sees a ticket channel of this level: its level role and the admin role, or every support role when the level has none.</summary>
    public IReadOnlyList<ulong> RolesFor(string issueLevel) => LevelRole(issueLevel) is { } role
        ? new[] { (ulong?)role, Id(AdminRoleId, "ADMIN_ROLE_ID") }.OfType<ulong>().Distinct().ToList()
        : SupportRoles;

    /// <summary>Members with any of these roles act as agents in Discord: the support roles and the level roles.</summary>
    public IReadOnlyList<ulong> StaffRoles =>
        SupportRoles.Concat(Levels.Keys.Select(LevelRole).OfType<ulong>()).Distinct().ToList();

    public ulong CategoryFor(string issueLevel) => issueLevel switch
    {
        "URGENT" => Id(UrgentCategoryId, "URGENT_TICKET_CATEGORY_ID")!.Value,
        "CRITICAL" => Id(CriticalCategoryId, "CRITICAL_TICKET_CATEGORY_ID")!.Value,
        _ => Id(GeneralCategoryId, "GENERAL_TICKET_CATEGORY_ID")!.Value,
    };

    public IReadOnlyList<ulong> SupportRoles =>
        new[] { (AdminRoleId, "ADMIN_ROLE_ID"), (ManagerRoleId, "MANAGER_ROLE_ID"), (DeveloperRoleId, "DEVELOPER_ROLE_ID"), (SupportTeamRoleId, "SUPPORT_TEAM_ROLE_ID") }
            .Select(r => Id(r.Item1, r.Item2)).OfType<ulong>().Distinct().ToList();

    internal static ulong? Id(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ConfigurationException($"{name} must be a Discord id (a number), not '{value}'");
    }
}

public sealed class DiscordLevelOptions
{
    public string? RoleId { get; set; }
}
