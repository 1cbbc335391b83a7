extern alias backend;

using System.Text.RegularExpressions;
using backend::SupportTicket.TrustedBackend.Users;
using Microsoft.Playwright;
using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>
/// Customer and agent in two real browsers, talking through the ticket server's REST API and its
/// SignalR hub (/hubs/tickets). These need the server's hub; everything is observed in the page.
/// </summary>
[Collection(WidgetStackCollection.Name)]
public sealed partial class WidgetHubBrowserTests(WidgetStack stack)
{
    [Fact]
    public async Task Customer_sees_the_agents_reply_live_without_reloading()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Parcel never arrived", "Order 1042 shows delivered but nothing came.");
        await customer.SendAsync("Any news?");
        await customer.ScreenshotAsync("chat-customer-desktop");

        await using var agent = await SignInAgentAsync();
        await agent.OpenTicketFromListAsync(ticketId);
        await Expect(agent.Message("Any news?")).ToBeVisibleAsync();
        await agent.SendAsync("Sorry about that, a replacement ships today.");

        await Expect(customer.Message("a replacement ships today")).ToBeVisibleAsync();
        await Expect(customer.Message("a replacement ships today")).ToHaveAttributeAsync("data-mine", "false");
        await agent.ScreenshotAsync("chat-agent-desktop");
    }

    [Fact]
    public async Task Edits_and_deletes_show_up_on_the_other_side()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Wrong size", "I ordered M and got L.");
        await customer.SendAsync("Can I swap it for an M?");
        await customer.SendAsync("This message was a mistake");
        await using var agent = await SignInAgentAsync();
        await agent.OpenTicketFromListAsync(ticketId);
        await Expect(agent.Message("This message was a mistake")).ToBeVisibleAsync();

        var original = customer.Message("Can I swap it for an M?");
        await original.GetByTestId("message-edit").ClickAsync();
        await customer.Page.GetByTestId("message-edit-input").FillAsync("Can I swap it for an S?");
        await customer.Page.GetByTestId("message-edit-save").ClickAsync();
        await customer.Message("This message was a mistake").GetByTestId("message-delete").ClickAsync();

        var edited = agent.Message("Can I swap it for an S?");
        await Expect(edited).ToBeVisibleAsync();
        await Expect(edited.GetByTestId("message-edited")).ToBeVisibleAsync();
        await Expect(agent.Message("This message was a mistake")).ToHaveCountAsync(0);
        await Expect(agent.Message("Can I swap it for an M?")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Agent_status_level_and_close_changes_reach_the_customer_live()
    {
        await using var customer = await WidgetPage.OpenAsync(stack, WidgetPage.Phone);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync(
            "Refund question", "How long do refunds take?", "URGENT", screenshotOfForm: "new-ticket-phone");
        await using var agent = await SignInAgentAsync();
        await agent.OpenTicketFromListAsync(ticketId);
        await agent.SendAsync("Refunds take 3-5 business days.");
        await agent.SendAsync("Customer asked about refunds, answered.", internalNote: true);
        await Expect(customer.Message("Refunds take 3-5 business days.")).ToBeVisibleAsync();
        await customer.ScreenshotAsync("chat-customer-phone");

        await agent.Page.GetByTestId("agent-status").SelectOptionAsync("WAITING");
        await Expect(customer.Page.GetByTestId("chat-status")).ToHaveTextAsync("waiting");
        await agent.Page.GetByTestId("agent-level").SelectOptionAsync("CRITICAL");
        await Expect(customer.Page.GetByTestId("chat-level")).ToHaveTextAsync("critical");
        await agent.Page.GetByTestId("close-ticket").ClickAsync();

        await Expect(customer.Page.GetByTestId("closed-notice")).ToBeVisibleAsync();
        await Expect(customer.Page.GetByTestId("composer")).ToBeHiddenAsync();
        await Expect(customer.Page.GetByTestId("chat-status")).ToHaveTextAsync("closed");
        await Expect(customer.Message("answered")).ToHaveCountAsync(0);
        await customer.ScreenshotAsync("chat-closed-phone");
        await agent.ScreenshotAsync("chat-agent-closed-desktop");
        await customer.Page.GetByTestId("back").ClickAsync();
        var listed = customer.Page.Locator($"[data-testid='ticket-item'][data-ticket-id='{ticketId}']");
        await Expect(listed.GetByTestId("ticket-item-status")).ToHaveTextAsync("closed");
        await customer.ScreenshotAsync("list-customer-phone");
    }

    [Fact]
    public async Task Messages_sent_while_the_customer_was_offline_appear_after_reconnecting()
    {
        IWebSocketRoute? hubSocket = null;
        await using var customer = await WidgetPage.OpenAsync(stack, beforeNavigation: page =>
            page.RouteWebSocketAsync(HubUrl(), socket =>
            {
                hubSocket = socket;
                socket.ConnectToServer(); // pass through to the real hub; kept so the test can cut it
            }));
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("App keeps crashing", "Since the last update.");
        await using var agent = await SignInAgentAsync();
        await agent.OpenTicketFromListAsync(ticketId);
        await agent.SendAsync("Which phone do you use?");
        await Expect(customer.Message("Which phone do you use?")).ToBeVisibleAsync();

        // Cut the network: offline for new requests, and the live hub socket dropped.
        await customer.Context.SetOfflineAsync(true);
        await hubSocket!.CloseAsync();
        await Expect(customer.Page.GetByTestId("connection-status")).Not.ToHaveAttributeAsync("data-state", "connected");
        await agent.SendAsync("Are you still there?");
        await agent.SendAsync("Please try reinstalling the app.");
        await customer.ScreenshotAsync("chat-customer-offline");
        await customer.Context.SetOfflineAsync(false);

        await Expect(customer.Page.GetByTestId("connection-status"))
            .ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await Expect(customer.Message("Are you still there?")).ToBeVisibleAsync();
        await Expect(customer.Message("Please try reinstalling the app.")).ToBeVisibleAsync();
        await Expect(customer.Messages).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task A_staff_note_leaves_no_gap_in_the_customers_numbering_and_no_catch_up()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Refund missing", "Returned the item two weeks ago.");
        await customer.SendAsync("Where is my refund?");
        var catchUps = new List<string>();
        customer.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/messages?") && !request.Url.Contains("after_seq=0")) catchUps.Add(request.Url);
        };

        await using var agent = await SignInAgentAsync();
        await agent.OpenTicketFromListAsync(ticketId);
        await agent.SendAsync("Refund was blocked by the fraud check", internalNote: true);
        await Expect(agent.Message("blocked by the fraud check")).ToHaveAttributeAsync("data-seq", "2");
        await agent.Page.GetByTestId("composer-internal").UncheckAsync();
        await agent.SendAsync("Your refund is on its way.");
        await Expect(agent.Message("refund is on its way")).ToHaveAttributeAsync("data-seq", "3");

        // The customer's numbering skips the note: 1, 2. A widget that checks for gaps finds none and fetches nothing.
        await Expect(customer.Message("refund is on its way")).ToHaveAttributeAsync("data-seq", "2");
        await Expect(customer.Messages).ToHaveCountAsync(2);
        await Expect(customer.Message("fraud check")).ToHaveCountAsync(0);
        Assert.Empty(catchUps);
    }

    [Fact]
    public async Task Guest_can_open_a_ticket_and_the_agent_sees_it_live()
    {
        await using var agent = await SignInAgentAsync();
        await using var guest = await WidgetPage.OpenAsync(stack, WidgetPage.Phone);
        await guest.EnterAsGuestAsync("Visitor Vera");

        var ticketId = await guest.CreateTicketAsync("Question before buying", "Do you ship to Norway?");
        await guest.Page.GetByTestId("composer-input").PressSequentiallyAsync("Hello");

        var listed = agent.Page.Locator($"[data-testid='ticket-item'][data-ticket-id='{ticketId}']");
        await Expect(listed).ToContainTextAsync("Question before buying");
        await agent.ScreenshotAsync("list-agent-desktop");
        await agent.OpenTicketFromListAsync(ticketId);
        await agent.SendAsync("Yes, we ship to Norway.");
        await Expect(guest.Message("Yes, we ship to Norway.")).ToBeVisibleAsync();
        await guest.ScreenshotAsync("chat-guest-phone");
    }

    [Fact]
    public async Task Typing_in_the_composer_shows_the_typing_indicator_to_the_other_side()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        var username = await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Typing check", "Is anyone there?");
        await using var agent = await SignInAgentAsync();
        await agent.OpenTicketFromListAsync(ticketId);

        await customer.Page.GetByTestId("composer-input").PressSequentiallyAsync("I am writing");

        await Expect(agent.Page.GetByTestId("typing-indicator")).ToHaveTextAsync($"{username} is typing…");
    }

    private async Task<WidgetPage> SignInAgentAsync()
    {
        var agent = await WidgetPage.OpenAsync(stack);
        await agent.SignInAsync("agent", UserStore.DemoPassword("agent"));
        return agent;
    }

    [GeneratedRegex("/hubs/tickets")]
    private static partial Regex HubUrl();
}
