using System.Net;
using SupportTicket.Server.Email;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.Lifecycle;

namespace SupportTicket.Server.Tests.Email;

/// <summary>
/// Mail given up on (SMTP unreachable for every attempt, on a fake clock) is listed for admins, and retried (sent
/// once, with its own Message-ID) or discarded (never sent) through /api/v1/admin/email/outbox.
/// </summary>
public abstract class EmailParkedTests(Store store)
{
    [Fact]
    public async Task Parked_mail_is_listed_for_admins_and_retried_once_or_discarded()
    {
        using var forward = new SwitchableForward();
        using var app = new LifecycleApp(store, MailServer.Settings(smtpPort: forward.Port));
        var adminUser = Unique.Admin();
        HttpClient Admin() => app.As(adminUser); // minted after the clock has moved on
        var (retried, discarded) = (Unique.Customer(), Unique.Customer());
        foreach (var customer in new[] { retried, discarded })
        {
            var id = (await app.As(customer).CreateTicket("Parked " + customer.Id)).Str("id");
            Assert.Equal(HttpStatusCode.OK, (await app.As(Unique.Agent()).PostJson($"/api/v1/tickets/{id}/close", new { })).StatusCode);
        }

        // Every attempt fails while nothing listens; steps longer than the longest backoff let each row use all of its.
        var parked = await AdvanceUntilAsync(app, async () =>
            await ListAsync(app) is var rows && rows.Count(r => Mine(r, retried, discarded)) == 2 ? rows.Where(r => Mine(r, retried, discarded)).ToList() : null);
        Assert.All(parked, r => Assert.Equal(MailSender.MaxAttempts, r.GetProperty("attempts").GetInt32()));
        Assert.All(parked, r => Assert.Equal("parked", r.Str("state")));
        Assert.All(parked, r => Assert.False(string.IsNullOrEmpty(r.Str("last_error"))));
        Assert.All(parked, r => Assert.Equal("closed", r.Str("kind")));
        var toRetry = parked.Single(r => r.Str("to") == Address(retried));
        var toDiscard = parked.Single(r => r.Str("to") == Address(discarded));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(Unique.Agent()).GetAsync("/api/v1/admin/email/outbox")).StatusCode);
        var bad = await Admin().GetAsync("/api/v1/admin/email/outbox?state=sent");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("state", (await bad.Body()).GetProperty("errors")[0].Str("location"));

        forward.Up(MailServer.Smtp.Port);
        var retry = await Admin().PostJson($"/api/v1/admin/email/outbox/{Id(toRetry)}/retry", new { });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(("waiting", 0), ((await retry.Body()).Str("state"), (await retry.Body()).GetProperty("attempts").GetInt32()));
        Assert.Equal(HttpStatusCode.NoContent, (await Admin().PostJson($"/api/v1/admin/email/outbox/{Id(toDiscard)}/discard", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin().PostJson($"/api/v1/admin/email/outbox/{Id(toDiscard)}/retry", new { })).StatusCode);

        var mail = Assert.Single(await AdvanceUntilAsync(app, async () => await MailServer.MailsToAsync(Address(retried)) is { Count: > 0 } m ? m : null));
        Assert.Equal(toRetry.Str("message_id"), mail.MessageId);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin().PostJson($"/api/v1/admin/email/outbox/{Id(toRetry)}/retry", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin().PostJson($"/api/v1/admin/email/outbox/{Id(toRetry)}/discard", new { })).StatusCode);
        for (var i = 0; i < 5; i++) app.Clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        Assert.Single(await MailServer.MailsToAsync(Address(retried)));
        Assert.Empty(await MailServer.MailsToAsync(Address(discarded)));
        Assert.DoesNotContain(await ListAsync(app), r => Mine(r, retried, discarded));
    }

    private static string Address(TestUser user) => $"{user.Id}@example.com";

    private static long Id(System.Text.Json.JsonElement row) => row.GetProperty("id").GetInt64();

    private static bool Mine(System.Text.Json.JsonElement row, params TestUser[] users) => users.Any(u => row.Str("to") == Address(u));

    private static async Task<List<System.Text.Json.JsonElement>> ListAsync(LifecycleApp app)
    {
        var response = await app.As(Unique.Admin()).GetAsync("/api/v1/admin/email/outbox?state=parked");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Body()).EnumerateArray().ToList();
    }

    private static async Task<T> AdvanceUntilAsync<T>(LifecycleApp app, Func<Task<T?>> done)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await done() is { } value) return value;
            app.Clock.Advance(TimeSpan.FromMinutes(15));
            await Task.Delay(100);
        }
        throw new TimeoutException("The condition did not hold while the clock moved on");
    }
}

public sealed class SqliteEmailParkedTests() : EmailParkedTests(Store.Sqlite);
public sealed class PostgresEmailParkedTests() : EmailParkedTests(Store.Postgres);
