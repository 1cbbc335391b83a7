using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>Outside business hours (a real server configured so) and the auto-close warning its timers post.</summary>
[Collection(OfflineWidgetStackCollection.Name)]
public sealed class WidgetOfflineTests(OfflineWidgetStack stack)
{
    private static readonly bool ForDocs = Environment.GetEnvironmentVariable("ST_UPDATE_SCREENSHOTS") == "1";

    private static readonly string Folder = ForDocs ? Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "images")).FullName : RepoPaths.Screenshots;

    [Theory]
    [InlineData("desktop", "en-GB", "Asia/Tokyo")]
    [InlineData("phone", "en-GB", "America/New_York")]
    [InlineData("desktop", "de-DE", "Europe/Berlin")]
    public async Task Outside_business_hours_the_widget_says_when_the_team_is_back_in_the_customers_own_time(string device, string locale, string zone)
    {
        var context = await stack.Browser.NewContextAsync(new()
        {
            ViewportSize = device == "phone" ? WidgetPage.Phone : WidgetPage.Desktop, IsMobile = device == "phone",
            Locale = locale, TimezoneId = zone, ReducedMotion = ReducedMotion.Reduce, BaseURL = stack.Backend.BaseAddress.ToString(),
        });
        var page = await context.NewPageAsync();
        var german = locale.StartsWith("de", StringComparison.Ordinal);
        await page.GotoAsync(german ? "/?lang=de" : "/");

        var notice = page.GetByTestId("offline-notice");
        await Expect(notice).ToHaveTextAsync(Expected(stack.NextOpen, zone, german));
        await Expect(notice).ToHaveAttributeAsync("role", "status");
        await Axe.AssertNoSeriousViolationsAsync(page, $"offline sign-in ({device}, {locale})");

        await page.GetByTestId("tab-guest").ClickAsync();
        await page.GetByTestId("guest-submit").ClickAsync();
        await page.GetByTestId("new-ticket").ClickAsync();
        await page.GetByTestId("ticket-topic").FillAsync(german ? "Rechnung fehlt" : "Invoice missing");
        await page.GetByTestId("ticket-description").FillAsync(german ? "Bitte senden Sie mir die Rechnung." : "Please send me the invoice for order 4711.");
        await page.GetByTestId("ticket-submit").ClickAsync();
        await Expect(page.GetByTestId("chat-view")).ToBeVisibleAsync();
        await Expect(notice).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, $"offline conversation ({device}, {locale})");
        if (!german)
        {
            await page.ScreenshotAsync(ForDocs
                ? new() { Path = Path.Combine(Folder, $"widget-offline-{device}.jpg"), Type = ScreenshotType.Jpeg, Quality = 70 }
                : new() { Path = Path.Combine(Folder, $"widget-offline-{device}.png") });
        }

        await context.CloseAsync();
    }

    [Fact]
    public async Task The_auto_close_warning_the_server_posts_is_shown_with_the_close_time_in_the_customers_zone()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Password reset", "The reset mail never arrives.");
        using var agent = await ServerApi.SignInAsync(stack, "agent");
        await agent.PostOkAsync($"/tickets/{ticketId}/messages", new { content = "Could you check your spam folder?" });
        await Expect(customer.Message("spam folder")).ToBeVisibleAsync();
        var notice = customer.Page.GetByTestId("autoclose-notice");
        await Expect(notice).ToBeHiddenAsync();

        // The staff reply armed the warning hours ahead; make it due now, as if those hours had passed.
        await using (var db = new SqliteConnection($"Data Source={stack.DatabasePath}"))
        {
            await db.OpenAsync();
            var update = db.CreateCommand();
            update.CommandText = "UPDATE tickets SET auto_close_warn_at = $now WHERE id = $id AND auto_close_warn_at IS NOT NULL";
            update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
            update.Parameters.AddWithValue("$id", ticketId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await Expect(customer.Message("closed for inactivity")).ToBeVisibleAsync();
        var ticket = await agent.GetAsync($"/tickets/{ticketId}");
        var closeAt = DateTimeOffset.FromUnixTimeSeconds(ticket.GetProperty("auto_close_at").GetInt64());
        var local = await customer.Page.EvaluateAsync<string>(
            "s => new Date(s * 1000).toLocaleString(navigator.language, { dateStyle: 'medium', timeStyle: 'short' })", closeAt.ToUnixTimeSeconds());
        await Expect(notice).ToHaveTextAsync($"This ticket will close for inactivity on {local} unless you reply.");
        await Axe.AssertNoSeriousViolationsAsync(customer.Page, "auto-close warning");

        await customer.SendAsync("Found it, thanks — trying now.");
        await Expect(notice).ToBeHiddenAsync();
    }

    private static readonly string[] EnglishDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private static readonly string[] GermanDays = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];

    private static string Expected(DateTimeOffset nextOpen, string zone, bool german)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = TimeZoneInfo.ConvertTime(nextOpen, tz);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, tz).Date;
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        // The test host may run with invariant globalization: the two languages' day names, spelled out.
        var day = (german ? GermanDays : EnglishDays)[(int)local.DayOfWeek];
        return (german, local.Date == today) switch
        {
            (false, true) => $"We're back at {time} (your time); we'll email you the answer.",
            (false, false) => $"We're back {day} at {time} (your time); we'll email you the answer.",
            (true, true) => $"Wir sind um {time} Uhr (Ihre Zeit) wieder da; wir antworten Ihnen per E-Mail.",
            (true, false) => $"Wir sind {day} um {time} Uhr (Ihre Zeit) wieder da; wir antworten Ihnen per E-Mail.",
        };
    }
}
