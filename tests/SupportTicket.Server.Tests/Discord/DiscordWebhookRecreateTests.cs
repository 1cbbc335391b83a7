using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>A webhook edits and deletes only its own messages: after it was recreated, nothing is lost without trace (#24.8).</summary>
public sealed class DiscordWebhookRecreateTests
{
    [Fact]
    public async Task After_the_webhook_was_recreated_an_edit_is_reposted_marked_edited_and_a_delete_still_removes_it()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "alice"));
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        var id = (await customer.PostMessage(ticketId, "first words")).Str("id");
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 1, "the first message");
        var original = (string)bot.WebhookMessages(channel).Single()["id"]!;
        lock (bot.Fake.Store.Gate)
            foreach (var hook in bot.Fake.Store.Webhooks.Values.Where(w => w.ChannelId == channel).ToList()) bot.Fake.Store.Webhooks.Remove(hook.Id);
        await customer.PostMessage(ticketId, "second message"); // 10015: the bot makes a new webhook
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 2, "the second message");

        await customer.PatchJson($"/api/v1/tickets/{ticketId}/messages/{id}", new { content = "better words" });

        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Any(m => ((string?)m["content"])?.Contains("better words") == true), "the edited text");
        var repost = bot.WebhookMessages(channel).Single(m => ((string?)m["content"])?.Contains("better words") == true);
        Assert.StartsWith("✏️ (edited)", (string?)repost["content"]);
        Assert.Equal("alice (customer)", (string?)repost["author"]!["username"]);
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).All(m => (string?)m["id"] != original), "the outdated text's removal");

        await customer.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{id}");
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 1, "the delete");
        Assert.Equal("second message", (string?)bot.WebhookMessages(channel).Single()["content"]);
    }

    [Fact]
    public async Task After_the_webhook_was_recreated_a_delete_of_an_older_message_goes_through_the_channel()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        var id = (await customer.PostMessage(ticketId, "to be deleted")).Str("id");
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 1, "the first message");
        lock (bot.Fake.Store.Gate)
            foreach (var hook in bot.Fake.Store.Webhooks.Values.Where(w => w.ChannelId == channel).ToList()) bot.Fake.Store.Webhooks.Remove(hook.Id);
        await customer.PostMessage(ticketId, "kept");
        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 2, "the second message");

        await customer.DeleteAsync($"/api/v1/tickets/{ticketId}/messages/{id}");

        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Count == 1, "the delete");
        Assert.Equal("kept", (string?)bot.WebhookMessages(channel).Single()["content"]);
    }
}
