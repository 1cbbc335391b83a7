using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Email;

/// <summary>A customer's plain-text mail to the reply address, and what the server recorded for an inbound mail.</summary>
internal static class InboundMail
{
    public static MimeMessage Reply(string from, MailboxAddress to, string text, string subject = "Re: [#1] New reply")
    {
        var mail = new MimeMessage { MessageId = $"test.{Guid.NewGuid():N}@example.com", Subject = subject };
        mail.From.Add(MailboxAddress.Parse(from));
        mail.To.Add(to);
        mail.Body = new TextPart("plain") { Text = text };
        return mail;
    }

    /// <summary>The inbound record's outcome ("posted", a refusal), null while the mail is unread.</summary>
    public static string? Outcome(TestApp app, string messageId)
    {
        using var scope = app.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<AppDbContext>().EmailInbound
            .Where(i => i.MessageId == messageId).Select(i => i.Outcome).FirstOrDefault();
    }
}
