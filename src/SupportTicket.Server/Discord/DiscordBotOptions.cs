using System.Globalization;

namespace SupportTicket.Server.Discord;

/// <summary>
/// The bot's settings, section "Discord" (the same section the client library reads its token and URLs from, so
/// DISCORD_BOT_TOKEN = Discord:Token is one setting). The bot is on exactly when the token is set.
/// </summary>
public sealed class DiscordBotOptions
{
    public const string Section = "Discord";

    public string Token { get; set; } = "";
    public string? GuildId { get; set; }
    public string? TranscriptChannelId { get; set; }
    public string? GeneralCategoryId { get; set; }
    public string? UrgentCategoryId { get; set; }
    public string? CriticalCategoryId { get; set; }
    /// <summary>Where new ticket channels go when their level's category holds 50 channels already.</summary>
    public string? OverflowCategoryId { get; set; }
    /// <summary>Where closed tickets' channels go when <see cref="ClosedChannels"/> is Archive.</summary>
    public string? ArchiveCategoryId { get; set; }
    public string? AdminRoleId { get; set; }
    public string? ManagerRoleId { get; set; }
    public string? DeveloperRoleId { get; set; }
    public string? SupportTeamRoleId { get; set; }
    /// <summary>Discord:Levels:&lt;LEVEL&gt;:RoleId: the role that sees (and works) that level's channels, with the admin role.</summary>
    public Dictionary<string, DiscordLevelOptions> Levels { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>One line per ticket opened, claimed, transferred, unassigned and closed.</summary>
    public string? LogChannelId { get; set; }
    /// <summary>Delete (default) or Archive the channel of a closed ticket.</summary>
    public string ClosedChannels { get; set; } = "Delete";
    /// <summary>A message typed in a ticket channel that starts with this becomes an internal note.</summary>
    public string NotePrefix { get; set; } = "!note ";
    /// <summary>How often the sender looks for outbox rows written by other nodes (local writes wake it at once).</summary>
    public int OutboxPollMs { get; set; } = 1000;
    public int RetryBaseMs { get; set; } = 1000;
    public int RetryMaxMs { get; set; } = 300_000;
    /// <summary>Attempts at relaying a Discord message into its ticket (backoff as for the outbox) before the agent is told it failed.</summary>
    public int InboundMaxAttempts { get; set; } = 10;
    /// <summary>Tickets mirrored in parallel; the rows of one ticket always go one after another.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>A channel Discord refused to move (full category, 403) is tried again after this many seconds, at the ticket's next change.</summary>
    public int MoveRetrySeconds { get; set; } = 60;

    /// <summary>
    /// How long Discord is trusted to answer a repeated nonce with the first message ("a few minutes", undocumented).
    /// A row first tried longer ago than this is looked for in the channel before it is posted again.
    /// </summary>
    public int NonceWindowSeconds { get; set; } = 120;

    /// <summary>The server's public address (https://tickets.example.com): agents' Discord attachments are re-hosted under it.</summary>
    public string? PublicBaseUrl { get; set; }
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    /// <summary>
    /// Whether the bot is on, read before the container exists: it decides which services are registered at all.
    /// Only the token is read here; the options themselves are bound and validated once (DiscordBotOptionsValidator).
    /// </summary>
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

    /// <summary>The four roles that see ticket channels and may act on tickets from Discord.</summary>
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
