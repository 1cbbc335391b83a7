using Microsoft.Extensions.Configuration;
using SupportTicket.Server.Email;

namespace SupportTicket.Server.Tests.Email;

public sealed class EmailOptionsTests
{
    private static readonly Dictionary<string, string?> Good = new()
    {
        ["Email:Smtp:Host"] = "smtp.example.com", ["Email:From"] = "Support <support@example.com>",
        ["Email:PublicBaseUrl"] = "https://support.example.com",
    };

    [Theory]
    [InlineData("Email:Smtp:Security", "tls", "Email:Smtp:Security must be None, StartTls or SslOnConnect, not 'tls'")]
    [InlineData("Email:Smtp:Port", "smtp", "Email:Smtp:Port must be a port number from 1 to 65535, not 'smtp'")]
    [InlineData("Email:ReplyDelaySeconds", "soon", "Email:ReplyDelaySeconds must be a number of seconds from 0 to 604800, not 'soon'")]
    [InlineData("Email:From", "nobody", "Email:From must be a mail address such as 'Support <support@example.com>', not 'nobody'")]
    [InlineData("Email:ReplyAddress", "support+x@example.com", "Email:ReplyAddress must be a plain mail address without '+', such as support@example.com, not 'support+x@example.com'")]
    [InlineData("Email:Imap:Host", "imap.example.com", "Email:ReplyAddress must be set when Email:Imap:Host is (replies are matched by its plus addresses)")]
    public void A_bad_value_is_refused_with_one_line_naming_the_setting(string setting, string value, string line)
    {
        var result = new EmailOptionsValidator().Validate(null, Bind(new(Good) { [setting] = value }));
        Assert.Equal(line, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Mail_is_off_and_unchecked_without_an_smtp_host_and_the_defaults_are_the_issues()
    {
        var off = Bind(new() { ["Email:Smtp:Port"] = "nonsense" });
        Assert.False(off.Enabled);
        Assert.True(new EmailOptionsValidator().Validate(null, off).Succeeded);
        var on = Bind(new(Good));
        Assert.True(new EmailOptionsValidator().Validate(null, on).Succeeded);
        Assert.Equal(("587", "StartTls", "INBOX", 120.0), (on.Smtp.Port, on.Smtp.Security, on.Imap.Mailbox, on.ReplyDelay.TotalSeconds));
    }

    private static EmailOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new EmailOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(EmailOptions.Section).Bind(options);
        return options;
    }
}
