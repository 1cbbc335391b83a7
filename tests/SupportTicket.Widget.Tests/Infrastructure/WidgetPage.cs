using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests.Infrastructure;

/// <summary>One person using the widget in their own browser context (own cookies, own connection).</summary>
public sealed class WidgetPage : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 375, Height = 740 };

    private WidgetPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public ILocator Messages => Page.GetByTestId("message");

    public static async Task<WidgetPage> OpenAsync(
        WidgetStack stack, ViewportSize? viewport = null, Func<IPage, Task>? beforeNavigation = null)
    {
        var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? Desktop,
            BaseURL = stack.Backend.BaseAddress.ToString(),
        });
        var page = await context.NewPageAsync();
        if (beforeNavigation is not null)
        {
            await beforeNavigation(page);
        }

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("auth-view")).ToBeVisibleAsync();
        return new WidgetPage(context, page);
    }

    public async Task SignInAsync(string username, string password)
    {
        await Page.GetByTestId("signin-username").FillAsync(username);
        await Page.GetByTestId("signin-password").FillAsync(password);
        await Page.GetByTestId("signin-submit").ClickAsync();
        await ExpectConnectedListAsync();
    }

    /// <summary>Signs up a fresh customer, so each test owns its tickets and its rate-limit budget.</summary>
    public async Task<string> SignUpNewCustomerAsync()
    {
        var username = "cust" + Guid.NewGuid().ToString("N")[..10];
        await Page.GetByTestId("tab-signup").ClickAsync();
        await Page.GetByTestId("signup-username").FillAsync(username);
        await Page.GetByTestId("signup-email").FillAsync($"{username}@example.com");
        await Page.GetByTestId("signup-password").FillAsync("correct horse battery");
        await Page.GetByTestId("signup-submit").ClickAsync();
        await ExpectConnectedListAsync();
        return username;
    }

    public async Task EnterAsGuestAsync(string name)
    {
        await Page.GetByTestId("tab-guest").ClickAsync();
        await Page.GetByTestId("guest-name").FillAsync(name);
        await Page.GetByTestId("guest-submit").ClickAsync();
        await ExpectConnectedListAsync();
    }

    /// <summary>Opens a new ticket through the form and returns its id once the chat view shows it.</summary>
    public async Task<string> CreateTicketAsync(
        string topic, string description, string level = "NORMAL", string? screenshotOfForm = null)
    {
        await Page.GetByTestId("new-ticket").ClickAsync();
        await Page.GetByTestId("ticket-topic").FillAsync(topic);
        await Page.GetByTestId("ticket-description").FillAsync(description);
        await Page.GetByTestId("ticket-level").SelectOptionAsync(level);
        if (screenshotOfForm is not null)
        {
            await ScreenshotAsync(screenshotOfForm);
        }

        await Page.GetByTestId("ticket-submit").ClickAsync();
        var chat = Page.GetByTestId("chat-view");
        await Expect(chat).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("chat-topic")).ToContainTextAsync(topic);
        return await chat.GetAttributeAsync("data-ticket-id") ?? throw new InvalidOperationException("chat has no ticket id");
    }

    public async Task OpenTicketFromListAsync(string ticketId)
    {
        await Page.Locator($"[data-testid='ticket-item'][data-ticket-id='{ticketId}']").ClickAsync();
        await Expect(Page.GetByTestId("chat-view")).ToHaveAttributeAsync("data-ticket-id", ticketId);
    }

    public async Task SendAsync(string text, bool internalNote = false)
    {
        if (internalNote)
        {
            await Page.GetByTestId("composer-internal").CheckAsync();
        }

        await Page.GetByTestId("composer-input").FillAsync(text);
        await Page.GetByTestId("composer-send").ClickAsync();
        await Expect(Message(text)).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("composer-input")).ToHaveValueAsync("");
    }

    public ILocator Message(string text) => Messages.Filter(new LocatorFilterOptions { HasText = text });

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Screenshots, name + ".png") });

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private async Task ExpectConnectedListAsync()
    {
        await Expect(Page.GetByTestId("list-view")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
    }
}
