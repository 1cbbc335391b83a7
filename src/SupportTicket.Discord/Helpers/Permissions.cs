namespace SupportTicket.Discord.Helpers;

/// <summary>Permission bits used by the ticket channels (developers/topics/permissions).</summary>
public static class Permissions
{
    public const ulong ManageChannels = 16;
    public const ulong ViewChannel = 1024;
    public const ulong SendMessages = 2048;
    public const ulong ManageMessages = 8192;
    public const ulong EmbedLinks = 16384;
    public const ulong AttachFiles = 32768;
    public const ulong ReadMessageHistory = 65536;
    public const ulong ManageRoles = 268435456;
    public const ulong ManageWebhooks = 536870912;

    /// <summary>101376: what a support role needs in a ticket channel.</summary>
    public const ulong SupportRole = ViewChannel | SendMessages | ReadMessageHistory | AttachFiles;

    /// <summary>536996864: the bot also embeds, moderates and runs the channel's webhook.</summary>
    public const ulong BotMember = SupportRole | EmbedLinks | ManageMessages | ManageWebhooks;
}
