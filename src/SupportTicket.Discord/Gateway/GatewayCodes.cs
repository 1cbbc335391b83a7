namespace SupportTicket.Discord.Gateway;

internal static class GatewayOpCodes
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

public static class GatewayCloseCodes
{
    public const int UnknownError = 4000;
    public const int InvalidSequence = 4007;
    public const int SessionTimedOut = 4009;
    public const int AuthenticationFailed = 4004;
    public const int InvalidShard = 4010;
    public const int ShardingRequired = 4011;
    public const int InvalidApiVersion = 4012;
    public const int InvalidIntents = 4013;
    public const int DisallowedIntents = 4014;

    public static bool IsFatal(int code) => code is AuthenticationFailed or (>= InvalidShard and <= DisallowedIntents);

    public static bool NeedsNewSession(int code) => code is InvalidSequence or SessionTimedOut;
}

public sealed class DiscordGatewayException(int closeCode, string? reason)
    : Exception($"Discord gateway closed with fatal code {closeCode}: {reason}")
{
    public int CloseCode { get; } = closeCode;
}
