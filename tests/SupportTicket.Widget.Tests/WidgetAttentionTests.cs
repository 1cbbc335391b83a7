extern alias backend;

using backend::SupportTicket.TrustedBackend.Users;
using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>Replies the customer has not seen: the tab title, the launcher count, the notification prompt and the sound toggle; and German.</summary>
[Collection(WidgetStackCollection.Name)]
public sealed class WidgetAttentionTests(WidgetStack stack)
{
    private const string Title = "Acme Store — Support";

    [Fact]
    public async Task A_reply_in_a_hidden_tab_puts_the_count_in_the_title_until_the_tab_is_seen_again()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Refund", "Where is my refund?");
        await using var agent = await SignInAgentAsync(ticketId);

        await SetHiddenAsync(customer, true);
        await agent.SendAsync("Refund is on its way.");
        await agent.SendAsync("It takes 3 days.");

        await Expect(customer.Page).ToHaveTitleAsync($"(2) {Title}");
        await Expect(customer.Page.GetByTestId("launcher-unread")).ToHaveTextAsync("2");
        await SetHiddenAsync(customer, false);
        await Expect(customer.Page).ToHaveTitleAsync(Title);
        await Expect(customer.Page.GetByTestId("launcher-unread")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_closed_widget_counts_replies_on_its_launcher_and_opening_it_clears_them()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Coupon", "Coupon code fails.");
        await using var agent = await SignInAgentAsync(ticketId);

        await customer.Page.GetByTestId("minimize").ClickAsync();
        await Expect(customer.Page.GetByTestId("widget")).ToBeHiddenAsync();
        await Expect(customer.Page.GetByTestId("launcher")).ToBeFocusedAsync();
        await agent.SendAsync("Try SAVE10 instead.");

        await Expect(customer.Page.GetByTestId("launcher-unread")).ToHaveTextAsync("1");
        await Expect(customer.Page.GetByTestId("launcher")).ToHaveAccessibleNameAsync("Open support chat, 1 unread");
        await Axe.AssertNoSeriousViolationsAsync(customer.Page, "closed with unread");
        await customer.Page.Keyboard.PressAsync("Enter");
        await Expect(customer.Page.GetByTestId("widget")).ToBeVisibleAsync();
        await Expect(customer.Page.GetByTestId("launcher-unread")).ToBeHiddenAsync();
        await Expect(customer.Message("SAVE10")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Notifications_are_offered_only_after_the_first_message_and_the_sound_can_be_turned_off()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        await customer.CreateTicketAsync("Login", "Cannot log in.");
        var prompt = customer.Page.GetByTestId("notify-prompt");
        await Expect(prompt).ToBeHiddenAsync();

        await customer.SendAsync("Any idea?");
        await Expect(prompt).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(customer.Page, "notification prompt");
        await customer.Page.GetByTestId("notify-no").ClickAsync();
        await Expect(prompt).ToBeHiddenAsync();
        await customer.SendAsync("Still there?");
        await Expect(prompt).ToBeHiddenAsync();

        var sound = customer.Page.GetByTestId("sound-toggle");
        await Expect(sound).ToHaveAttributeAsync("aria-pressed", "true");
        await sound.ClickAsync();
        await Expect(sound).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(sound).ToHaveAttributeAsync("aria-label", "Sound off");
        await customer.Page.ReloadAsync();
        await Expect(customer.Page.GetByTestId("sound-toggle")).ToHaveAttributeAsync("aria-pressed", "false");
    }

    [Fact]
    public async Task In_German_every_control_speaks_German_and_times_follow_the_browser_locale()
    {
        var context = await stack.Browser.NewContextAsync(new() { Locale = "de-DE", TimezoneId = "Europe/Berlin", BaseURL = stack.Backend.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?lang=de");

        await Expect(page.GetByTestId("tab-signin")).ToHaveTextAsync("Anmelden");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await Expect(page.GetByTestId("signin-submit")).ToHaveTextAsync("Anmelden");
        await page.GetByTestId("tab-guest").ClickAsync();
        await page.GetByTestId("guest-submit").ClickAsync();
        await Expect(page.GetByTestId("new-ticket")).ToHaveTextAsync("Neues Ticket");
        await Expect(page.GetByTestId("ticket-list-empty")).ToHaveTextAsync("Noch keine Tickets.");
        await page.GetByTestId("new-ticket").ClickAsync();
        await page.GetByTestId("ticket-topic").FillAsync("Rechnung fehlt");
        await page.GetByTestId("ticket-description").FillAsync("Bitte senden Sie mir die Rechnung.");
        await page.GetByTestId("ticket-submit").ClickAsync();
        await Expect(page.GetByTestId("chat-status")).ToHaveTextAsync("offen");
        await Expect(page.GetByTestId("composer-input")).ToHaveAttributeAsync("placeholder", "Nachricht schreiben…");
        await Expect(page.GetByTestId("upload-limit")).ToContainTextAsync("bis 1 MB");
        await Expect(page.GetByTestId("attach")).ToHaveAttributeAsync("aria-label", "Datei anhängen");
        await page.GetByTestId("composer-input").FillAsync("Danke");
        await page.GetByTestId("composer-send").ClickAsync();
        var message = page.GetByTestId("message").Filter(new() { HasText = "Danke" });
        await Expect(message.GetByTestId("message-author")).ToHaveTextAsync("Sie");
        var berlin = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        await Expect(message.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{berlin:HH}:\\d\\d$"));
        await Axe.AssertNoSeriousViolationsAsync(page, "German conversation");
        await context.CloseAsync();
    }

    private async Task<WidgetPage> SignInAgentAsync(string ticketId)
    {
        var agent = await WidgetPage.OpenAsync(stack);
        await agent.SignInAsync("agent", UserStore.DemoPassword("agent"));
        await agent.OpenTicketFromListAsync(ticketId);
        return agent;
    }

    /// <summary>Headless tabs are never really hidden: the page is told so, as a browser tells it when the tab goes to the background.</summary>
    private static Task SetHiddenAsync(WidgetPage page, bool hidden) => page.Page.EvaluateAsync("""
        (hidden) => {
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => hidden ? 'hidden' : 'visible' });
          document.dispatchEvent(new Event('visibilitychange'));
        }
        """, hidden);
}
