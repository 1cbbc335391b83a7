using Microsoft.Playwright;
using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>
/// How the widget recovers from an expired token, a rate limit and a lost network. The failures are
/// injected in the browser (Playwright routes), the rest is the real stack, so these need the hub too.
/// </summary>
[Collection(WidgetStackCollection.Name)]
public sealed class WidgetRecoveryHubBrowserTests(WidgetStack stack)
{
    [Fact]
    public async Task A_401_from_the_ticket_server_refreshes_the_token_and_retries_without_bothering_the_user()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Expired token", "The next send meets a 401 once.");
        var rejected = 0;
        await customer.Page.RouteAsync($"**/api/v1/tickets/{ticketId}/messages", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref rejected) == 1)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 401,
                    Headers = CorsHeaders(),
                    ContentType = "application/json",
                    Body = """{"error":"UNAUTHORIZED","message":"Token expired"}""",
                });
                return;
            }

            await route.ContinueAsync();
        });

        var refresh = customer.Page.WaitForResponseAsync("**/auth/refresh");
        await customer.SendAsync("Sent after a silent refresh");

        Assert.Equal(200, (await refresh).Status);
        Assert.Equal(2, rejected); // the rejected send, then its retry with the fresh token
        await Expect(customer.Page.GetByTestId("banner")).ToBeHiddenAsync();
        await Expect(customer.Page.GetByTestId("auth-view")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Widget_refreshes_its_token_before_it_expires_and_keeps_working()
    {
        // A fake clock in the page: jump past 80 % of the 300 s token lifetime instead of waiting for it.
        await using var customer = await WidgetPage.OpenAsync(stack, beforeNavigation: page => page.Clock.InstallAsync());
        await customer.SignUpNewCustomerAsync();

        var refresh = customer.Page.WaitForResponseAsync("**/auth/refresh");
        await customer.Page.Clock.FastForwardAsync("04:05");

        Assert.Equal(200, (await refresh).Status);
        var ticketId = await customer.CreateTicketAsync("After refresh", "Still signed in.");
        Assert.False(string.IsNullOrEmpty(ticketId));
    }

    [Fact]
    public async Task A_429_shows_a_countdown_from_Retry_After_and_blocks_sending_until_it_ends()
    {
        await using var customer = await WidgetPage.OpenAsync(stack, WidgetPage.Phone);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Too fast", "The next send is rate limited.");
        await customer.Page.RouteAsync($"**/api/v1/tickets/{ticketId}/messages", route =>
            route.Request.Method == "POST"
                ? route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 429,
                    Headers = new Dictionary<string, string>(CorsHeaders()) { ["Retry-After"] = "3" },
                    ContentType = "application/json",
                    Body = """{"error":"RATELIMIT","message":"You are being ratelimited"}""",
                })
                : route.ContinueAsync());

        await customer.Page.GetByTestId("composer-input").FillAsync("Hello?");
        await customer.Page.GetByTestId("composer-send").ClickAsync();

        var banner = customer.Page.GetByTestId("banner");
        await Expect(banner).ToContainTextAsync("try again in 3s");
        await Expect(customer.Page.GetByTestId("composer-send")).ToBeDisabledAsync();
        await customer.ScreenshotAsync("chat-ratelimited-phone");
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Expect(customer.Page.GetByTestId("composer-send")).ToBeEnabledAsync();
        await Expect(customer.Page.GetByTestId("composer-input")).ToHaveValueAsync("Hello?");
    }

    [Fact]
    public async Task Losing_the_network_shows_a_friendly_notice_that_clears_when_it_returns()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();

        await customer.Context.SetOfflineAsync(true);
        await Expect(customer.Page.GetByTestId("banner")).ToContainTextAsync("offline");
        await customer.Context.SetOfflineAsync(false);

        await Expect(customer.Page.GetByTestId("banner")).ToBeHiddenAsync();
    }

    // A fulfilled cross-origin response still has to pass the browser's CORS check.
    private Dictionary<string, string> CorsHeaders() => new()
    {
        ["Access-Control-Allow-Origin"] = stack.Backend.BaseAddress.ToString().TrimEnd('/'),
        ["Access-Control-Allow-Credentials"] = "true",
        ["Access-Control-Expose-Headers"] = "Retry-After",
    };
}
