using System.Globalization;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Logging;

public sealed class ErrorWebhookOptions
{
    public const string Section = "Logging";

    public string? ErrorWebhookUrl { get; set; }
    public string? ErrorBotWebhookUrl { get; set; }

    // Strings, parsed by the validator: a value that is not a number fails with the same line as a negative one,
    // instead of the binder's exception, which names no setting an operator would recognise.
    public string? ErrorWebhookQueueLimit { get; set; }
    public string? ErrorWebhookPeriodMs { get; set; }

    public string? NodeName { get; set; }

    public Uri? ApiUrl => Url(ErrorWebhookUrl);
    public Uri? BotUrl => Url(ErrorBotWebhookUrl);
    public int QueueLimit => Number(ErrorWebhookQueueLimit) ?? 1000;
    public TimeSpan Period => TimeSpan.FromMilliseconds(Number(ErrorWebhookPeriodMs) ?? 2000);
    public string Node => string.IsNullOrWhiteSpace(NodeName) ? Environment.MachineName : NodeName;

    internal static Uri? Url(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http" && uri.AbsolutePath.Contains("/webhooks/", StringComparison.Ordinal)
            ? uri
            : null;

    internal static int? Number(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.CurrentCulture, out var n) && n > 0 ? n : null;
}

internal sealed class ErrorWebhookOptionsValidator : IValidateOptions<ErrorWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, ErrorWebhookOptions options) =>
        Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(ErrorWebhookOptions o) =>
        BadUrl(o.ErrorWebhookUrl) ? "ERROR_WEBHOOK_URL must be a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)"
        : BadUrl(o.ErrorBotWebhookUrl) ? "ERROR_BOT_WEBHOOK_URL must be a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)"
        : BadNumber(o.ErrorWebhookQueueLimit) ? "Logging:ErrorWebhookQueueLimit must be a positive whole number"
        : BadNumber(o.ErrorWebhookPeriodMs) ? "Logging:ErrorWebhookPeriodMs must be a positive whole number"
        : null;

    private static bool BadUrl(string? value) => !string.IsNullOrWhiteSpace(value) && ErrorWebhookOptions.Url(value) is null;

    private static bool BadNumber(string? value) => !string.IsNullOrWhiteSpace(value) && ErrorWebhookOptions.Number(value) is null;
}
