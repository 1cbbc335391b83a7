using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SupportTicket.Server.Email;

/// <summary>The <c>Email</c> section (issue #27). Mail is off unless <c>Email:Smtp:Host</c> is set.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public ServerSettings Smtp { get; set; } = new() { Port = "587" };
    public ServerSettings Imap { get; set; } = new() { Port = "993", Security = "SslOnConnect" };
    public string? From { get; set; }
    /// <summary>The mailbox replies go to; each ticket's Reply-To is its plus address (<c>support+&lt;ticket&gt;.&lt;signature&gt;@…</c>).</summary>
    public string? ReplyAddress { get; set; }
    /// <summary>Bound as text so that a word fails with a line naming the setting.</summary>
    public string? ReplyDelaySeconds { get; set; } = "120";
    /// <summary>The trusted backend's conversation page; <c>{ticket_id}</c> and <c>{number}</c> are replaced.</summary>
    public string? ConversationUrlTemplate { get; set; }
    /// <summary>This server's public address, for the unsubscribe links and the links to mailed attachments.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>How often the digest scan, the sender and (without IDLE) the mailbox poll run.</summary>
    public int PollSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);
    public bool ReadsReplies => Enabled && !string.IsNullOrWhiteSpace(Imap.Host);
    public TimeSpan ReplyDelay => TimeSpan.FromSeconds(long.Parse(ReplyDelaySeconds ?? "120"));

    /// <summary>Decides whether the mail services are registered at all (read once, before the container exists).</summary>
    public static bool EnabledIn(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[$"{Section}:Smtp:Host"]);

    public sealed class ServerSettings
    {
        public string? Host { get; set; }
        public string? Port { get; set; }
        public string Security { get; set; } = "StartTls";
        public string? User { get; set; }
        public string? Password { get; set; }
        public string Mailbox { get; set; } = "INBOX";

        public int PortNumber => int.Parse(Port!);

        public SecureSocketOptions SocketOptions => Security switch
        {
            "None" => SecureSocketOptions.None,
            "SslOnConnect" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
    }
}

/// <summary>Fails startup with one line naming the first bad setting; nothing is checked while mail is off.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    private static readonly string[] Securities = ["None", "StartTls", "SslOnConnect"];

    public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
        Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(EmailOptions o)
    {
        if (!o.Enabled) return null;
        if (Server("Smtp", o.Smtp) is { } smtp) return smtp;
        if (!(MailboxAddress.TryParse(o.From, out var from) && from.Address.Contains('@'))) return $"Email:From must be a mail address such as 'Support <support@example.com>', not '{o.From}'";
        if (!long.TryParse(o.ReplyDelaySeconds, out var delay) || delay is < 0 or > 7 * 24 * 3600)
            return $"Email:ReplyDelaySeconds must be a number of seconds from 0 to 604800, not '{o.ReplyDelaySeconds}'";
        if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"Email:PublicBaseUrl must be this server's public http or https URL (the unsubscribe links use it), not '{o.PublicBaseUrl}'";
        if (!string.IsNullOrWhiteSpace(o.ConversationUrlTemplate)
            && !Uri.TryCreate(o.ConversationUrlTemplate.Replace("{ticket_id}", "t").Replace("{number}", "1"), UriKind.Absolute, out _))
            return $"Email:ConversationUrlTemplate must be an absolute URL with {{ticket_id}}, not '{o.ConversationUrlTemplate}'";
        if (!string.IsNullOrWhiteSpace(o.ReplyAddress) && !(MailboxAddress.TryParse(o.ReplyAddress, out var reply) && reply.Address.Contains('@') && !reply.LocalPart.Contains('+')))
            return $"Email:ReplyAddress must be a plain mail address without '+', such as support@example.com, not '{o.ReplyAddress}'";
        if (!string.IsNullOrWhiteSpace(o.Imap.Host))
        {
            if (string.IsNullOrWhiteSpace(o.ReplyAddress)) return "Email:ReplyAddress must be set when Email:Imap:Host is (replies are matched by its plus addresses)";
            if (Server("Imap", o.Imap) is { } imap) return imap;
            if (string.IsNullOrWhiteSpace(o.Imap.Mailbox)) return "Email:Imap:Mailbox must not be empty";
        }
        if (o.PollSeconds is < 1 or > 300) return "Email:PollSeconds must be between 1 and 300";
        return null;
    }

    private static string? Server(string name, EmailOptions.ServerSettings s)
    {
        if (!int.TryParse(s.Port, out var port) || port is < 1 or > 65535) return $"Email:{name}:Port must be a port number from 1 to 65535, not '{s.Port}'";
        if (!Securities.Contains(s.Security)) return $"Email:{name}:Security must be None, StartTls or SslOnConnect, not '{s.Security}'";
        if (string.IsNullOrEmpty(s.User) != string.IsNullOrEmpty(s.Password)) return $"Email:{name}:User and Email:{name}:Password must be set together";
        return null;
    }
}
