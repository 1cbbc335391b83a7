using System.Text.RegularExpressions;

namespace SupportTicket.Discord.Helpers;

// allowed_mentions {parse:[]} already stops pings; defusing the text as well keeps relayed customer text from rendering
// as a highlighted mention, and protects any path that forgets allowed_mentions.
public static partial class Mentions
{
    private const string ZeroWidthSpace = "\u200B";

    public static string Neutralize(string text) =>
        string.IsNullOrEmpty(text) ? text : MentionPattern().Replace(text, m => m.Value[0] + ZeroWidthSpace + m.Value[1..]);

    [GeneratedRegex(@"@(everyone|here)|<(@[!&]?|#)\d+>", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();
}
