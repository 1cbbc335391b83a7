using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Email;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Email;

/// <summary>SMTP unreachable, then back: every mail arrives exactly once, with the Message-ID its row was written with.</summary>
public abstract class EmailOutageTests(Store store)
{
    [Fact]
    public async Task Mail_written_while_smtp_is_down_is_sent_once_when_it_returns()
    {
        using var forward = new SwitchableForward();
        using var app = new MailApp(store, MailServer.Settings(smtpPort: forward.Port));
        var customer = Unique.Customer();
        var agent = Unique.Agent();
        var address = $"{customer.Id}@example.com";
        var replied = (await app.ClientFor(customer).CreateTicket("Digest while down")).Str("id");
        await app.ClientFor(agent).PostMessage(replied, "Answer while the mail server is down");
        var closed = (await app.ClientFor(customer).CreateTicket("Closed while down")).Str("id");
        await app.ClientFor(agent).PostJson($"/api/v1/tickets/{closed}/close", new { });

        // Both rows are written and tried (and fail) while nothing listens.
        var rows = await app.AdvanceUntilAsync(async () => await RowsAsync(app, address) is { Count: 2 } r && r.All(x => x.Attempts >= 2) ? r : null,
            TimeSpan.FromSeconds(10));
        Assert.All(rows, r => Assert.Equal(EmailStates.Waiting, r.State));
        Assert.All(rows, r => Assert.NotNull(r.LastError));
        Assert.Empty(await MailServer.MailsToAsync(address));

        forward.Up(MailServer.Smtp.Port);
        var mails = await app.AdvanceUntilAsync(async () => await MailServer.MailsToAsync(address) is { Count: 2 } m ? m : null, TimeSpan.FromSeconds(10));
        Assert.Equal(rows.Select(r => r.MessageId).Order(), mails.Select(m => m.MessageId).Order());

        for (var i = 0; i < 10; i++) app.Clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        Assert.Equal(2, (await MailServer.MailsToAsync(address)).Count);
        Assert.All(await RowsAsync(app, address), r => Assert.Equal(EmailStates.Sent, r.State));
    }

    private static async Task<List<EmailOutboxRow>> RowsAsync(MailApp app, string address)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().EmailOutbox.Where(r => r.ToAddress == address).ToListAsync();
    }
}

public sealed class SqliteEmailOutageTests() : EmailOutageTests(Store.Sqlite);
public sealed class PostgresEmailOutageTests() : EmailOutageTests(Store.Postgres);
