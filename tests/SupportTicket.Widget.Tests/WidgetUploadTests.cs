extern alias backend;

using backend::SupportTicket.TrustedBackend.Users;
using Microsoft.Playwright;
using SupportTicket.Widget.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SupportTicket.Widget.Tests;

/// <summary>Screenshots by the paperclip, by drag and drop and by paste, in real Chromium, seen by the agent too.</summary>
[Collection(WidgetStackCollection.Name)]
public sealed class WidgetUploadTests(WidgetStack stack)
{
    private static readonly string Png64 = Convert.ToBase64String(TestFiles.Screenshot());

    [Fact]
    public async Task A_screenshot_sent_with_the_paperclip_shows_as_an_image_to_the_customer_and_the_agent()
    {
        await using var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        var ticketId = await customer.CreateTicketAsync("Checkout button greyed out", "See the screenshot.");
        await Expect(customer.Page.GetByTestId("upload-limit")).ToContainTextAsync("1 MB");

        var chooser = await customer.Page.RunAndWaitForFileChooserAsync(() => customer.Page.GetByTestId("attach").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "checkout.png", MimeType = "image/png", Buffer = TestFiles.Screenshot() });
        await Expect(customer.Page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-status", "done");
        await Expect(customer.Page.GetByTestId("upload-thumb")).ToBeVisibleAsync();
        await customer.SendAsync("Here it is");

        await ExpectImageLoadedAsync(customer.Message("Here it is"));
        await Expect(customer.Page.GetByTestId("upload-tray")).ToBeHiddenAsync();
        await using var agent = await WidgetPage.OpenAsync(stack);
        await agent.SignInAsync("agent", UserStore.DemoPassword("agent"));
        await agent.OpenTicketFromListAsync(ticketId);
        await ExpectImageLoadedAsync(agent.Message("Here it is"));
    }

    [Fact]
    public async Task A_file_dropped_on_the_chat_uploads_and_goes_with_the_message()
    {
        await using var customer = await OpenChatAsync();
        await customer.Page.EvaluateAsync($$"""
            async (args) => {
              const file = ({{TestFiles.MakeFile}})(args);
              const dt = new DataTransfer();
              dt.items.add(file);
              const view = document.querySelector('[data-testid="chat-view"]');
              for (const type of ['dragenter', 'dragover', 'drop'])
                view.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
            }
            """, new[] { Png64, "dropped.png", "image/png" });

        await Expect(customer.Page.GetByTestId("drop-zone")).ToBeHiddenAsync();
        await Expect(customer.Page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-status", "done");
        await customer.SendAsync("Dropped one");
        await ExpectImageLoadedAsync(customer.Message("Dropped one"));
    }

    [Fact]
    public async Task A_pasted_screenshot_uploads_and_a_file_alone_is_sent_without_typing()
    {
        await using var customer = await OpenChatAsync();
        await customer.Page.EvaluateAsync($$"""
            async (args) => {
              const dt = new DataTransfer();
              dt.items.add(({{TestFiles.MakeFile}})(args));
              document.querySelector('[data-testid="composer-input"]')
                .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
            }
            """, new[] { Png64, "image.png", "image/png" });

        await Expect(customer.Page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-status", "done");
        await customer.Page.GetByTestId("composer-send").ClickAsync();
        await ExpectImageLoadedAsync(customer.Message("Sent a file"));
    }

    [Fact]
    public async Task A_disallowed_type_and_an_oversize_file_are_refused_with_the_reason_shown()
    {
        await using var customer = await OpenChatAsync();
        var input = customer.Page.GetByTestId("file-input");

        await input.SetInputFilesAsync(new FilePayload { Name = "setup.png", MimeType = "image/png", Buffer = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00] });
        var refused = customer.Page.GetByTestId("upload-item").Filter(new() { HasText = "setup.png" });
        await Expect(refused).ToHaveAttributeAsync("data-status", "failed");
        await Expect(refused.GetByTestId("upload-error")).ToContainTextAsync("not accepted");
        await Expect(refused.GetByTestId("upload-retry")).ToHaveCountAsync(0);

        var uploads = 0;
        customer.Page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith("/attachments")) uploads++; };
        await input.SetInputFilesAsync(new FilePayload { Name = "video.zip", MimeType = "application/zip", Buffer = new byte[WidgetStack.MaxUploadBytes + 1] });
        var oversize = customer.Page.GetByTestId("upload-item").Filter(new() { HasText = "video.zip" });
        await Expect(oversize.GetByTestId("upload-error")).ToContainTextAsync("larger than 1 MB");
        Assert.Equal(0, uploads);
        await Axe.AssertNoSeriousViolationsAsync(customer.Page, "upload errors");
    }

    [Fact]
    public async Task A_failed_upload_is_retried_from_its_retry_button()
    {
        await using var customer = await OpenChatAsync();
        var failNext = true;
        await customer.Page.RouteAsync("**/attachments", async route =>
        {
            if (failNext) { failNext = false; await route.AbortAsync(); } else await route.ContinueAsync();
        });

        await customer.Page.GetByTestId("file-input").SetInputFilesAsync(new FilePayload { Name = "flaky.png", MimeType = "image/png", Buffer = TestFiles.Screenshot() });
        await Expect(customer.Page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-status", "failed");
        await customer.Page.GetByTestId("upload-retry").ClickAsync();

        await Expect(customer.Page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-status", "done");
    }

    [Fact]
    public async Task A_signed_link_that_expired_is_refused_and_the_widget_asks_for_a_fresh_one()
    {
        await using var customer = await OpenChatAsync();
        await customer.Page.GetByTestId("file-input").SetInputFilesAsync(new FilePayload { Name = "old.png", MimeType = "image/png", Buffer = TestFiles.Screenshot() });
        await Expect(customer.Page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-status", "done");
        await customer.SendAsync("Old link");
        var image = customer.Message("Old link").GetByTestId("message-image");
        await ExpectImageLoadedAsync(customer.Message("Old link"));
        var src = await image.GetAttributeAsync("src");

        // The stack signs links for 10 s; the browser asks until the server says the link is over.
        var status = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && status != 403;)
        {
            status = await customer.Page.EvaluateAsync<int>("async (u) => (await fetch(u, { cache: 'no-store' })).status", src);
            if (status != 403) await customer.Page.WaitForTimeoutAsync(500);
        }
        Assert.Equal(403, status);
        var body = await customer.Page.EvaluateAsync<string>("async (u) => (await fetch(u, { cache: 'no-store' })).text()", src);
        Assert.Contains("expired", body);

        await customer.Page.ReloadAsync();
        await customer.Page.GetByTestId("ticket-item").First.ClickAsync();
        await ExpectImageLoadedAsync(customer.Message("Old link"));
        Assert.NotEqual(src, await customer.Message("Old link").GetByTestId("message-image").GetAttributeAsync("src"));
    }

    private async Task<WidgetPage> OpenChatAsync()
    {
        var customer = await WidgetPage.OpenAsync(stack);
        await customer.SignUpNewCustomerAsync();
        await customer.CreateTicketAsync("Upload test", "Files follow.");
        return customer;
    }

    private static async Task ExpectImageLoadedAsync(ILocator message)
    {
        var image = message.GetByTestId("message-image");
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the image did not load");
    }
}
