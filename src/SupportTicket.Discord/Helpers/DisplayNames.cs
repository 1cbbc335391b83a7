using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SupportTicket.Discord.Helpers;

// Names people chose for themselves, made safe to show to agents: characters that render as nothing (zero-width,
// braille blank, Hangul fillers) or that reorder the text around them (bidi controls) are removed, so a name cannot
// hide a label that follows it or pose as another. Runs of whitespace become one space.
public static partial class DisplayNames
{
    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }

        var sb = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (!IsInvisible(rune))
            {
                sb.Append(rune.ToString());
            }
        }

        return Whitespace().Replace(sb.ToString(), " ").Trim();
    }

    // "name (label)" with the label always whole: the name is cut to leave room for it, never the label. The name is
    // cleaned first; an empty name becomes fallback.
    public static string WithLabel(string? name, string label, int maxLength, string fallback)
    {
        var suffix = $" ({label})";
        var cleaned = Clean(name);
        var room = maxLength - suffix.Length;
        if (cleaned.Length > room)
        {
            var cut = char.IsLowSurrogate(cleaned[room]) ? room - 1 : room;
            cleaned = cleaned[..cut].TrimEnd();
        }

        return (cleaned.Length == 0 ? fallback : cleaned) + suffix;
    }

    private static bool IsInvisible(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
        {
            // Format (Cf) holds the zero-width characters, bidi embeddings, overrides and isolates, and tag characters.
            return true;
        }

        return rune.Value switch
        {
            0x2800 => true, // braille pattern blank
            0x3164 or 0x115F or 0x1160 or 0xFFA0 => true, // Hangul fillers
            0x034F => true, // combining grapheme joiner
            0x17B4 or 0x17B5 => true, // Khmer inherent vowels, rendered as nothing
            >= 0xFE00 and <= 0xFE0F => true, // variation selectors
            >= 0xE0100 and <= 0xE01EF => true,
            _ => false,
        };
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
