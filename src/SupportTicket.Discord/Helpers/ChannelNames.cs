using System.Globalization;
using System.Text;

namespace SupportTicket.Discord.Helpers;

/// <summary>
/// Discord lowercases text-channel names, turns spaces into dashes and collapses runs of dashes, so the name is
/// built in that form already (a name Discord would rewrite is never relied on: key on the channel id).
/// </summary>
public static class ChannelNames
{
    private const int MaxLength = 100;

    public static string ForTicket(long ticketNumber, string? subject)
    {
        var prefix = $"ticket-{ticketNumber.ToString(CultureInfo.InvariantCulture)}";
        var slug = Slug(subject, MaxLength - prefix.Length - 1);
        return slug.Length == 0 ? prefix : $"{prefix}-{slug}";
    }

    /// <summary>[a-z0-9-] only: accents are stripped, anything else becomes a single dash.</summary>
    public static string Slug(string? text, int maxLength = 50)
    {
        if (string.IsNullOrWhiteSpace(text) || maxLength <= 0)
        {
            return "";
        }

        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var keep = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (keep)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString();
        if (slug.Length > maxLength)
        {
            slug = slug[..maxLength];
        }

        return slug.Trim('-');
    }
}
