namespace SupportTicket.Discord.Helpers;

// Splits text into chunks of at most 2,000 UTF-16 units (Discord's limit, counted conservatively), preferring line
// breaks, then spaces, and never cutting a surrogate pair in half.
public static class MessageSplitter
{
    public const int MaxContentLength = 2000;

    public static IReadOnlyList<string> Split(string text, int maxLength = MaxContentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var chunks = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > maxLength)
        {
            var cut = CutPoint(rest[..maxLength]);
            chunks.Add(rest[..cut].ToString());
            rest = rest[cut..];
        }

        if (rest.Length > 0 || chunks.Count == 0)
        {
            chunks.Add(rest.ToString());
        }

        return chunks;
    }

    private static int CutPoint(ReadOnlySpan<char> window)
    {
        // Only break on whitespace in the second half, so a long word does not produce tiny chunks.
        var newline = window.LastIndexOf('\n');
        if (newline >= window.Length / 2)
        {
            return newline + 1;
        }

        var space = window.LastIndexOf(' ');
        if (space >= window.Length / 2)
        {
            return space + 1;
        }

        return char.IsHighSurrogate(window[^1]) ? window.Length - 1 : window.Length;
    }
}
