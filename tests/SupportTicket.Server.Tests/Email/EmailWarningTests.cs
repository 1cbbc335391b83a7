using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.Lifecycle;

namespace SupportTicket.Server.Tests.Email;

/// <summary>
/// The auto-close warning by mail, through smtp4dev on a fake clock: default auto-close (72 h after the agent's
/// reply, warned 24 h before) and the 120 s reply delay.
/// </summary>
public abstract class EmailWarningTests(Store store) : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);
    private readonly LifecycleApp _app = new(store, MailServer.Settings());

    /// <summary>A ticket with an agent's reply the customer has read: the auto-close clock runs, no digest is due.</summary>
    private async Task<string> WarnedTicketAsync(TestUser customer)
    {
        var id = (await _app.As(customer).CreateTicket("Refund for order 7")).Str("id");
        await _app.As(Unique.Agent()).PostMessage(id, "Please send the receipt");
        await _app.As(customer).PostJson($"/api/v1/tickets/{id}/read", new { seq = 1 });
        return id;
    }

    private async Task WarnAsync()
    {
        _app.Clock.Advance(TimeSpan.FromHours(48));
        await _app.RoundAsync();
    }

    [Fact]
    public async Task The_warning_reaches_an_offline_customer_as_its_own_mail_once()
    {
        var customer = Unique.Customer();
        var address = $"{customer.Id}@example.com";
        var id = await WarnedTicketAsync(customer);
        await WarnAsync();

        var mail = Assert.Single(await AdvanceUntilAsync(async () => await MailServer.MailsToAsync(address) is { Count: > 0 } m ? m : null));
        Assert.StartsWith("[#", mail.Subject);
        Assert.Contains("Closing soon: Refund for order 7", mail.Subject);
        Assert.Contains("This ticket will be closed for inactivity on", mail.TextBody);
        Assert.Contains("Reply to this mail", mail.TextBody);
        Assert.DoesNotContain("Please send the receipt", mail.TextBody); // read already
        Assert.Contains($"+{id}.", mail.ReplyTo.Mailboxes.Single().Address);
        Assert.StartsWith("<http://st.example/api/v1/email/unsubscribe?u=", mail.Headers["List-Unsubscribe"]);

        // Once: no digest of the same message follows, however long the clock runs before the close.
        for (var i = 0; i < 10; i++) _app.Clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        Assert.Single(await MailServer.MailsToAsync(address));
        Assert.Equal(1, await RowsAsync(address));
    }

    [Fact]
    public async Task No_warning_mail_when_the_customer_read_it_in_time_or_turned_mail_off()
    {
        var reader = Unique.Customer();
        var unsubscribed = Unique.Customer();
        var read = await WarnedTicketAsync(reader);
        var off = await WarnedTicketAsync(unsubscribed);
        Assert.Equal(200, (int)(await _app.As(unsubscribed).PatchJson("/api/v1/me/preferences", new { email_notifications = false })).StatusCode);
        await WarnAsync();
        _app.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(200, (int)(await _app.As(reader).PostJson($"/api/v1/tickets/{read}/read", new { seq = 2 })).StatusCode);

        // Both clocks stop (one read in time, one without a wish for mail) and no row is ever written.
        await AdvanceUntilAsync(async () => await PendingAsync(read, off) == 0 ? (object)true : null);
        Assert.Contains(await _app.MessagesAsync(off), m => m.StartsWith("This ticket will be closed for inactivity"));
        Assert.Equal(0, await RowsAsync($"{reader.Id}@example.com") + await RowsAsync($"{unsubscribed.Id}@example.com"));
        Assert.Empty(await MailServer.MailsToAsync($"{reader.Id}@example.com"));
        Assert.Empty(await MailServer.MailsToAsync($"{unsubscribed.Id}@example.com"));
    }

    private async Task<T> AdvanceUntilAsync<T>(Func<Task<T?>> done)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await done() is { } value) return value;
            _app.Clock.Advance(Step);
            await Task.Delay(100);
        }
        throw new TimeoutException("The condition did not hold while the clock moved on");
    }

    private async Task<int> RowsAsync(string address)
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().EmailOutbox.CountAsync(r => r.ToAddress == address);
    }

    private async Task<int> PendingAsync(params string[] ids)
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Tickets.CountAsync(t => ids.Contains(t.Id) && t.EmailPendingSince != null);
    }

    public void Dispose() => _app.Dispose();
}

public sealed class SqliteEmailWarningTests() : EmailWarningTests(Store.Sqlite);
public sealed class PostgresEmailWarningTests() : EmailWarningTests(Store.Postgres);
