using System.Text;

namespace SupportTicket.Discord.Helpers;

// Discord lowercases text-channel names, turns spaces into dashes and collapses runs of dashes, so the name is built in
// that form already (a name Discord would rewrite is never relied on: key on the channel id). The ticket channel name
// itself is the bot's (SupportTicket.Server.Discord.TicketChannelNames).
public static class ChannelNames
{
    public static string Slug(string? text, int maxLength = 50)
    {
        if (string.IsNullOrWhiteSpace(text) || maxLength <= 0)
        {
            return "";
        }

        var builder = new StringBuilder();
        foreach (var raw in text.ToLowerInvariant())
        {
            var c = Fold(raw);
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

    // The app runs with InvariantGlobalization, where string.Normalize cannot strip accents, so common Latin
    // letters are folded by hand; anything else becomes a dash.
    private const string Accented = "àáâãäåāăąçćčďèéêëēěęìíîïīłñńňòóôõöøōřśšßťùúûüūůýÿžźż";
    private const string Folded = "aaaaaaaaacccdeeeeeeeiiiiilnnnooooooorssstuuuuuuyyzzz";

    private static char Fold(char c)
    {
        var index = Accented.IndexOf(c, StringComparison.Ordinal);
        return index >= 0 ? Folded[index] : c;
    }
}
