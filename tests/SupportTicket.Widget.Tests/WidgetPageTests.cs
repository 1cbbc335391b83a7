using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>Browser tests of the widget that need the trusted backend only (no live ticket traffic).</summary>
[Collection(WidgetStackCollection.Name)]
public sealed class WidgetPageTests(WidgetStack stack)
{
    [Fact]
    public async Task Sign_in_view_fills_a_phone_screen()
    {
        await using var phone = await WidgetPage.OpenAsync(stack, WidgetPage.Phone);

        var box = await phone.Page.GetByTestId("widget").BoundingBoxAsync();
        await phone.ScreenshotAsync("auth-phone");

        Assert.NotNull(box);
        Assert.Equal(375, box.Width);
        await Expect(phone.Page.GetByTestId("signin-submit")).ToBeInViewportAsync();
        await Expect(phone.Page.GetByTestId("tab-guest")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Sign_in_view_is_a_floating_panel_on_desktop()
    {
        await using var desktop = await WidgetPage.OpenAsync(stack);

        var box = await desktop.Page.GetByTestId("widget").BoundingBoxAsync();
        await desktop.ScreenshotAsync("auth-desktop");

        Assert.NotNull(box);
        Assert.InRange(box.Width, 300, 500);
    }

    [Fact]
    public async Task Wrong_password_shows_a_friendly_error_and_stays_on_sign_in()
    {
        await using var user = await WidgetPage.OpenAsync(stack);

        await user.Page.GetByTestId("signin-username").FillAsync("alice");
        await user.Page.GetByTestId("signin-password").FillAsync("not-her-password");
        await user.Page.GetByTestId("signin-submit").ClickAsync();

        await Expect(user.Page.GetByTestId("auth-error")).ToHaveTextAsync("Wrong username or password.");
        await Expect(user.Page.GetByTestId("auth-view")).ToBeVisibleAsync();
    }
}
