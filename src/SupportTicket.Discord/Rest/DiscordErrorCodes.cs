namespace SupportTicket.Discord.Rest;

public static class DiscordErrorCodes
{
    public const int UnknownChannel = 10003;
    public const int UnknownGuild = 10004;
    public const int UnknownMember = 10007;
    public const int UnknownMessage = 10008;
    public const int UnknownWebhook = 10015;
    public const int UnknownInteraction = 10062;
    public const int CannotEditOthersMessage = 50005;
    public const int MaxWebhooks = 30007;
    public const int MaxGuildChannels = 30013;
    public const int RequestTooLarge = 40005;
    public const int AlreadyAcknowledged = 40060;
    public const int MissingAccess = 50001;
    public const int EmptyMessage = 50006;
    public const int MissingPermissions = 50013;
    public const int InvalidWebhookToken = 50027;
    public const int InvalidFormBody = 50035;

    public const string CategoryFull = "CHANNEL_PARENT_MAX_CHANNELS";
}
