extern alias backend;

using backend::SupportTicket.TrustedBackend.Users;
using Microsoft.Playwright;
using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>
/// Every state of the widget on a phone and a desktop, light and dark: axe-core finds no serious or critical
/// violation in any of them. Each state is photographed; with ST_UPDATE_SCREENSHOTS=1 the pictures go to
/// docs/images/ (what the README shows), otherwise to artifacts/screenshots/.
/// </summary>
[Collection(WidgetStackCollection.Name)]
public sealed class WidgetStatesTests(WidgetStack stack)
{
    private static readonly bool ForDocs = Environment.GetEnvironmentVariable("ST_UPDATE_SCREENSHOTS") == "1";

    private static readonly string Folder = ForDocs ? Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "docs", "images")).FullName : RepoPaths.Screenshots;

    [Theory]
    [InlineData("desktop", ColorScheme.Light)]
    [InlineData("phone", ColorScheme.Light)]
    [InlineData("desktop", ColorScheme.Dark)]
    [InlineData("phone", ColorScheme.Dark)]
    public async Task Every_state_passes_axe_and_is_photographed(string device, ColorScheme scheme)
    {
        var suffix = scheme == ColorScheme.Dark ? $"{device}-dark" : device;
        var context = await stack.Browser.NewContextAsync(new()
        {
            ViewportSize = device == "phone" ? WidgetPage.Phone : WidgetPage.Desktop, IsMobile = device == "phone",
            ColorScheme = scheme, ReducedMotion = ReducedMotion.Reduce, Locale = "en-GB", TimezoneId = "Europe/London",
            BaseURL = stack.Backend.BaseAddress.ToString(),
        });
        var page = await context.NewPageAsync();
        async Task State(string name)
        {
            await Axe.AssertNoSeriousViolationsAsync(page, $"{name} ({suffix})");
            // JPEG keeps the repository small; PNG for a run's own artifacts.
            await page.ScreenshotAsync(ForDocs
                ? new() { Path = Path.Combine(Folder, $"widget-{name}-{suffix}.jpg"), Type = ScreenshotType.Jpeg, Quality = 70 }
                : new() { Path = Path.Combine(Folder, $"widget-{name}-{suffix}.png") });
        }

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("auth-view")).ToBeVisibleAsync();
        await State("signin");
        Assert.Equal("0s", await page.GetByTestId("launcher").EvaluateAsync<string>("b => getComputedStyle(b).transitionDuration"));
        var background = await page.GetByTestId("widget").EvaluateAsync<string>("w => getComputedStyle(w).backgroundColor");
        Assert.Equal(scheme == ColorScheme.Dark ? "rgb(31, 41, 55)" : "rgb(255, 255, 255)", background);

        var username = "shot" + Guid.NewGuid().ToString("N")[..8];
        await page.GetByTestId("tab-signup").ClickAsync();
        await page.GetByTestId("signup-username").FillAsync(username);
        await page.GetByTestId("signup-email").FillAsync($"{username}@example.com");
        await page.GetByTestId("signup-password").FillAsync("correct horse battery");
        await page.GetByTestId("signup-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-list-empty")).ToBeVisibleAsync();
        await State("empty");

        await page.GetByTestId("new-ticket").ClickAsync();
        await page.GetByTestId("ticket-topic").FillAsync("Checkout button greyed out");
        await page.GetByTestId("ticket-description").FillAsync("I cannot pay: the button stays grey after entering my card.");
        await State("new-ticket");
        await page.GetByTestId("ticket-submit").ClickAsync();
        var chat = page.GetByTestId("chat-view");
        await Expect(chat).ToBeVisibleAsync();
        var ticketId = await chat.GetAttributeAsync("data-ticket-id");

        var input = page.GetByTestId("file-input");
        await input.SetInputFilesAsync(new FilePayload { Name = "checkout.png", MimeType = "image/png", Buffer = TestFiles.Screenshot() });
        await input.SetInputFilesAsync(new FilePayload { Name = "screen-recording.zip", MimeType = "application/zip", Buffer = new byte[WidgetStack.MaxUploadBytes + 1] });
        await Expect(page.GetByTestId("upload-item").First).ToHaveAttributeAsync("data-status", "done");
        await Expect(page.GetByTestId("upload-error")).ToBeVisibleAsync();
        await State("upload");
        await page.GetByTestId("upload-item").Last.GetByTestId("upload-remove").ClickAsync();
        await page.GetByTestId("composer-input").FillAsync("Here is what I see.");
        await page.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("message-image")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("notify-prompt")).ToBeVisibleAsync();
        await State("notify");
        await page.GetByTestId("notify-no").ClickAsync();

        var agentContext = await stack.Browser.NewContextAsync(new() { BaseURL = stack.Backend.BaseAddress.ToString() });
        var agentPage = await agentContext.NewPageAsync();
        await agentPage.GotoAsync("/");
        await agentPage.GetByTestId("signin-username").FillAsync("agent");
        await agentPage.GetByTestId("signin-password").FillAsync(UserStore.DemoPassword("agent"));
        await agentPage.GetByTestId("signin-submit").ClickAsync();
        await agentPage.Locator($"[data-testid='ticket-item'][data-ticket-id='{ticketId}']").ClickAsync();
        await agentPage.GetByTestId("composer-input").FillAsync("Thanks! A fix is going out now; please try again in five minutes.");
        await agentPage.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("message").Filter(new() { HasText = "A fix is going out" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("message-image")).ToHaveJSPropertyAsync("complete", true);
        await State("conversation");

        await page.GetByTestId("minimize").ClickAsync();
        await agentPage.GetByTestId("composer-input").FillAsync("Did it work?");
        await agentPage.GetByTestId("composer-send").ClickAsync();
        await Expect(page.GetByTestId("launcher-unread")).ToHaveTextAsync("1");
        await State("launcher-unread");
        await page.GetByTestId("launcher").ClickAsync();

        using (var agentApi = await ServerApi.SignInAsync(stack, "agent"))
        {
            await agentApi.PostOkAsync($"/tickets/{ticketId}/close-request", new { reason = "The fix is live." });
        }

        await Expect(page.GetByTestId("close-request")).ToBeVisibleAsync();
        await State("close-request");
        await page.GetByTestId("close-request-accept").ClickAsync();
        await Expect(page.GetByTestId("rating-form")).ToBeVisibleAsync();
        await page.Locator("label[for='st-star-4']").ClickAsync();
        await page.GetByTestId("rating-comment").FillAsync("Fixed within the hour.");
        await State("rating");
        await page.GetByTestId("rating-skip").ClickAsync();
        await Expect(page.GetByTestId("closed-notice")).ToBeVisibleAsync();
        await State("closed");
        await agentContext.CloseAsync();
        await context.CloseAsync();
    }
}
