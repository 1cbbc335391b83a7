using System.Text.RegularExpressions;

namespace SupportTicket.Discord.Helpers;

// Webhook names and username overrides must be 1–80 characters and may not contain "discord" or "clyde" (400
// USERNAME_INVALID_CONTAINS), so customer names are cleaned before they are used.
public static partial class WebhookNames
{
    private const int MaxLength = 80;
    private const string Fallback = "Customer";

    public static string Sanitize(string? name)
    {
        var cleaned = Guard(DisplayNames.Clean(name));
        if (cleaned.Length > MaxLength)
        {
            cleaned = cleaned[..MaxLength].TrimEnd();
        }

        return cleaned.Length == 0 ? Fallback : cleaned;
    }

    public static string Labeled(string? name, string label) => DisplayNames.WithLabel(Guard(DisplayNames.Clean(name)), label, MaxLength, Fallback);

    private static string Guard(string name) => Forbidden().Replace(name, m => m.Value.Insert(1, "_"));

    // Inserting a character breaks the forbidden word without losing what the customer typed.
    [GeneratedRegex("discord|clyde", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Forbidden();
}
