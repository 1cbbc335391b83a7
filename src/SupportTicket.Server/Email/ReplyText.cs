using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace SupportTicket.Server.Email;

/// <summary>What a reply mail says, without the quoted history, the signature or the mail client's chatter.</summary>
public static partial class ReplyText
{
    /// <summary>
    /// True for mail no one should answer (RFC 3834 <c>Auto-Submitted</c>, <c>Precedence: bulk|junk|list</c>,
    /// out-of-office markers, bounces) and for our own mail (its Message-ID is one of ours).
    /// </summary>
    public static bool IsAutomatic(MimeMessage mail, string ownDomain)
    {
        var auto = mail.Headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(auto) && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase)) return true;
        if (mail.Headers[HeaderId.Precedence]?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list") return true;
        if (mail.Headers.Contains("X-Autoreply") || mail.Headers.Contains("X-Autorespond") || mail.Headers.Contains("X-SupportTicket-Ticket")) return true;
        if (mail.Headers["X-Auto-Response-Suppress"]?.Contains("All", StringComparison.OrdinalIgnoreCase) == true) return true;
        if (mail.Headers[HeaderId.ReturnPath]?.Trim() is "<>" ) return true;
        return IsOwn(mail.MessageId, ownDomain);
    }

    public static bool IsOwn(string? messageId, string ownDomain) =>
        messageId is not null && messageId.StartsWith("st.", StringComparison.Ordinal) && messageId.EndsWith("@" + ownDomain, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The ticket id and signature of the first recipient of the form <c>local+ticket.signature@domain</c>; empty
    /// strings when the mail is for the reply mailbox but names no conversation; null when it is not for it at all.
    /// </summary>
    public static (string TicketId, string Signature)? PlusAddress(MimeMessage mail, MailboxAddress replyAddress)
    {
        var candidates = mail.To.Mailboxes.Concat(mail.Cc.Mailboxes).Select(m => m.Address)
            .Concat(new[] { "Delivered-To", "X-Original-To" }.Select(h => mail.Headers[h]).OfType<string>().Select(v => v.Trim().Trim('<', '>')));
        var prefix = replyAddress.LocalPart + "+";
        var ours = false;
        foreach (var address in candidates)
        {
            var at = address.LastIndexOf('@');
            if (at < 0 || !address[(at + 1)..].Equals(replyAddress.Domain, StringComparison.OrdinalIgnoreCase)) continue;
            var local = address[..at];
            ours |= local.Equals(replyAddress.LocalPart, StringComparison.OrdinalIgnoreCase);
            if (!local.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var tag = local[prefix.Length..];
            var dot = tag.LastIndexOf('.');
            if (dot > 0 && dot < tag.Length - 1) return (tag[..dot].ToLowerInvariant(), tag[(dot + 1)..].ToLowerInvariant());
            return ("", "");
        }
        return ours ? ("", "") : null;
    }

    /// <summary>The new text of a reply: plain part preferred, HTML turned into text otherwise; history and signature cut.</summary>
    public static string Extract(MimeMessage mail)
    {
        var text = mail.TextBody;
        if (string.IsNullOrWhiteSpace(text) && mail.HtmlBody is { } html) text = FromHtml(html);
        return Strip(text ?? "");
    }

    public static string Strip(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var kept = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line is "--" or "-- " || SentFrom().IsMatch(line) || Separator().IsMatch(line)) break;
            // "On <date>, <someone> wrote:", sometimes wrapped onto a second line by the client.
            if (Attribution().IsMatch(line) || (line.StartsWith("On ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].TrimEnd().EndsWith("wrote:", StringComparison.Ordinal)))
                break;
            if (line.StartsWith('>')) continue;
            kept.Add(line);
        }
        return string.Join("\n", kept).Trim();
    }

    private static string FromHtml(string html)
    {
        html = Quoted().Replace(html, "");
        html = Breaks().Replace(html, "\n");
        html = Tags().Replace(html, "");
        return WebUtility.HtmlDecode(html);
    }

    [GeneratedRegex(@"^(On\s.+\swrote:|Le\s.+\sa écrit\s?:|Am\s.+\sschrieb\s.+:)$")]
    private static partial Regex Attribution();
    [GeneratedRegex(@"^(-{2,}\s*Original Message\s*-{2,}|_{10,}|From:\s.+@.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Separator();
    [GeneratedRegex(@"^Sent from my \w+", RegexOptions.IgnoreCase)]
    private static partial Regex SentFrom();
    [GeneratedRegex(@"<blockquote[\s\S]*?</blockquote>|<div class=""gmail_quote""[\s\S]*$|<(script|style)[\s\S]*?</\1>", RegexOptions.IgnoreCase)]
    private static partial Regex Quoted();
    [GeneratedRegex(@"<br\s*/?>|</p>|</div>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();
    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();
}
