using SupportTicket.Server.Hosting;

namespace SupportTicket.Server.Logging;

/// <summary>
/// The seed's error webhooks: ERROR_WEBHOOK_URL gets the API's errors, ERROR_BOT_WEBHOOK_URL the Discord bot's
/// (log categories SupportTicket.Server.Discord.*). Either may be empty (off).
/// </summary>
internal sealed record ErrorWebhookOptions(Uri? ApiUrl, Uri? BotUrl, int QueueLimit, TimeSpan Period, string Node)
{
    public static ErrorWebhookOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Logging");
        return new ErrorWebhookOptions(
            Url(section["ErrorWebhookUrl"], "ERROR_WEBHOOK_URL"),
            Url(section["ErrorBotWebhookUrl"], "ERROR_BOT_WEBHOOK_URL"),
            Number(section["ErrorWebhookQueueLimit"], 1000, "Logging:ErrorWebhookQueueLimit"),
            TimeSpan.FromMilliseconds(Number(section["ErrorWebhookPeriodMs"], 2000, "Logging:ErrorWebhookPeriodMs")),
            string.IsNullOrWhiteSpace(section["NodeName"]) ? Environment.MachineName : section["NodeName"]!);
    }

    private static Uri? Url(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.AbsolutePath.Contains("/webhooks/", StringComparison.Ordinal)
            ? uri
            : throw new ConfigurationException($"{name} must be a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)");

    private static int Number(string? value, int fallback, string name) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : int.TryParse(value, out var n) && n > 0 ? n
        : throw new ConfigurationException($"{name} must be a positive whole number");
}
