using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using SupportTicket.Discord.Helpers;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Discord;

// A closed ticket as one self-contained HTML page (inline CSS, no scripts, no external assets): metadata, then every
// message with author, time, source, edit mark, attachment links, internal notes marked. Everything is encoded.
// Stored images show inline from thumbnails the caller made (data: URIs by attachment id), up to a byte budget per page.
public static partial class TranscriptBuilder
{
    public const int MaxEmbeddedBytesPerPage = 4 * 1024 * 1024;

    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}" +
        "table.meta td{padding:.1em .8em .1em 0}.m{border-top:1px solid #ddd;padding:.5em 0}" +
        ".h{color:#555;font-size:.9em}.note{background:#fff6d6}.c{white-space:pre-wrap}.i{max-width:100%;height:auto}";

    public static IReadOnlyList<string> Build(Ticket ticket, IReadOnlyList<Message> messages, int maxBytes = 8 * 1024 * 1024,
        IReadOnlyDictionary<string, string>? thumbnails = null, int maxEmbeddedBytes = MaxEmbeddedBytesPerPage)
    {
        thumbnails ??= new Dictionary<string, string>();
        var pages = new List<string>();
        var body = new StringBuilder();
        var (bodyBytes, part, budget) = (0, 1, maxEmbeddedBytes);
        foreach (var m in messages)
        {
            var pageBudget = budget;
            var entry = Entry(m, thumbnails, ref budget);
            var entryBytes = Encoding.UTF8.GetByteCount(entry);
            if (body.Length > 0 && entryBytes + bodyBytes > maxBytes - 16_384)
            {
                pages.Add(Page(ticket, body.ToString(), part++));
                body.Clear();
                bodyBytes = 0;
                budget = maxEmbeddedBytes;
                if (budget != pageBudget)
                {
                    entry = Entry(m, thumbnails, ref budget);
                    entryBytes = Encoding.UTF8.GetByteCount(entry);
                }
            }
            body.Append(entry);
            bodyBytes += entryBytes;
        }
        pages.Add(Page(ticket, body.ToString(), part));
        return pages;
    }

    private static string Page(Ticket t, string messages, int part)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Ticket #").Append(t.Number).Append(" transcript</title><style>")
            .Append(Style).Append("</style></head><body><h1>Ticket #").Append(t.Number).Append(": ").Append(E(t.Topic)).Append("</h1>");
        if (part > 1) sb.Append("<p>(continued, part ").Append(part).Append(")</p>");
        sb.Append("<table class=\"meta\">");
        Row(sb, "Ticket id", t.Id);
        Row(sb, "Customer", $"{DisplayNames.Clean(t.Username)} ({t.UserId}, {t.UserRole})");
        Row(sb, "Status", t.Status);
        Row(sb, "Level", t.IssueLevel);
        Row(sb, "Team", t.SupportRole);
        Row(sb, "Assignee", t.AssigneeId ?? "nobody");
        Row(sb, "Opened", Time(t.CreatedAt));
        Row(sb, "Closed", t.ClosedAt is { } c ? Time(c) : "");
        Row(sb, "Close reason", t.CloseReason ?? "");
        sb.Append("</table><h2>Description</h2><p class=\"c\">").Append(E(t.Description)).Append("</p><h2>Messages</h2>")
            .Append(messages).Append("</body></html>");
        return sb.ToString();
    }

    private static string Entry(Message m, IReadOnlyDictionary<string, string> thumbnails, ref int budget)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"m").Append(m.Internal ? " note" : "").Append("\"><div class=\"h\">#").Append(m.Seq).Append(' ')
            .Append("<b>").Append(E(DisplayNames.Clean(m.AuthorName))).Append("</b> (").Append(E(m.AuthorRole)).Append(") · ").Append(Time(m.CreatedAt))
            .Append(" · ").Append(E(m.Source));
        if (m.UpdatedAt != m.CreatedAt) sb.Append(" · edited ").Append(Time(m.UpdatedAt));
        if (m.Internal) sb.Append(" · <b>internal note</b>");
        sb.Append("</div><div class=\"c\">").Append(E(m.Content)).Append("</div>");
        foreach (var url in m.ToFullDto().Attachments)
        {
            sb.Append("<div>📎 <a href=\"").Append(E(url)).Append("\">").Append(E(url)).Append("</a>");
            if (StoredFile().Match(url) is { Success: true } found && thumbnails.TryGetValue(found.Groups[1].Value, out var uri)
                && uri.StartsWith("data:image/", StringComparison.Ordinal) && uri.Length <= budget)
            {
                budget -= uri.Length;
                sb.Append("<br><img class=\"i\" alt=\"").Append(E(Uri.UnescapeDataString(found.Groups[2].Value))).Append("\" src=\"").Append(E(uri)).Append("\">");
            }
            sb.Append("</div>");
        }
        return sb.Append("</div>").ToString();
    }

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append("<tr><td>").Append(name).Append("</td><td>").Append(E(value)).Append("</td></tr>");

    private static string Time(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("/api/v1/attachments/([0-9a-f]{32})/([^/?#]+)")]
    private static partial Regex StoredFile();
}
