namespace SupportTicket.Discord.Helpers;

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

    public const ulong SupportRole = ViewChannel | SendMessages | ReadMessageHistory | AttachFiles;

    public const ulong BotMember = SupportRole | EmbedLinks | ManageMessages | ManageWebhooks;
}
