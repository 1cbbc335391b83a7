using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Rest;

public sealed class WebhookWireTests
{
    [Fact]
    public async Task Executing_a_webhook_with_wait_returns_the_message_and_sends_no_bot_token()
    {
        await using var h = await Harness.StartAsync();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");

        var message = await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!,
            new ExecuteWebhookRequest { Content = "hello @everyone", Username = "Ann" });

        var request = h.Fake.RequestsTo("POST /webhooks/{webhook_id}/{webhook_token}").Single();
        Assert.Equal("?wait=true", request.Query);
        Assert.Null(request.Header("Authorization"));
        Assert.Empty(request.Json!["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal(webhook.Id, message.WebhookId);
        Assert.Equal("Ann", message.Author!.Username);
    }

    [Fact]
    public async Task A_customer_named_Discord_is_sanitised_before_Discord_rejects_it()
    {
        await using var h = await Harness.StartAsync();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");

        var message = await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!,
            new ExecuteWebhookRequest { Content = "hi", Username = "Discord Dave" });

        Assert.DoesNotContain("discord", message.Author!.Username!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Webhook_messages_can_be_edited_and_deleted_through_the_webhook_route()
    {
        await using var h = await Harness.StartAsync();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");
        var message = await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!, new ExecuteWebhookRequest { Content = "v1" });

        var edited = await h.Rest.EditWebhookMessageAsync(webhook.Id, webhook.Token!, message.Id.ToString(), new EditMessageRequest { Content = "v2" });
        await h.Rest.DeleteWebhookMessageAsync(webhook.Id, webhook.Token!, message.Id);

        Assert.Equal("v2", edited.Content);
        Assert.Empty(h.Fake.Store.MessagesIn(h.Fake.GeneralTextChannelId));
    }

    [Fact]
    public async Task A_webhook_can_upload_files_as_multipart()
    {
        await using var h = await Harness.StartAsync();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");

        var message = await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!, new ExecuteWebhookRequest { Content = "file", Username = "Ann" },
            [new FileUpload("a.txt", "hello"u8.ToArray(), "text/plain")]);

        var request = h.Fake.RequestsTo("POST /webhooks/{webhook_id}/{webhook_token}").Single();
        Assert.StartsWith("multipart/form-data", request.ContentType);
        Assert.Equal("a.txt", Assert.Single(message.Attachments!).Filename);
        Assert.Equal("hello"u8.ToArray(), h.Fake.Store.Uploads.Single().Content);
    }

    [Fact]
    public async Task A_webhook_posts_into_a_thread_of_its_channel_with_thread_id()
    {
        await using var h = await Harness.StartAsync();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");
        var thread = h.Fake.AddChannel("staff-notes", 12, h.Fake.GeneralTextChannelId);

        var message = await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!, new ExecuteWebhookRequest { Content = "note", ThreadId = thread });

        Assert.Equal(thread, message.ChannelId);
        Assert.Equal($"?wait=true&thread_id={thread}", h.Fake.RequestsTo("POST /webhooks/{webhook_id}/{webhook_token}").Single().Query);
        Assert.DoesNotContain("thread", h.Fake.Requests.Single(r => r.Route.StartsWith("POST /webhooks", StringComparison.Ordinal)).BodyText);
    }

    [Fact]
    public async Task A_wrong_webhook_token_surfaces_code_50027()
    {
        await using var h = await Harness.StartAsync();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.ExecuteWebhookAsync(webhook.Id, "wrong", new ExecuteWebhookRequest { Content = "x" }));

        Assert.Equal(50027, error.Code);
        Assert.False(h.Rest.IsUnauthorized);
    }
}

public sealed class InteractionWireTests
{
    [Fact]
    public async Task Guild_commands_are_bulk_overwritten_and_get_ids()
    {
        await using var h = await Harness.StartAsync();
        ApplicationCommand[] commands =
        [
            new() { Name = "close", Description = "Close this ticket", Options = [new ApplicationCommandOption(3, "reason", "Why", false)] },
        ];

        var result = await h.Rest.BulkOverwriteGuildCommandsAsync(h.Fake.ApplicationId, h.Fake.GuildId, commands);

        Assert.NotNull(Assert.Single(result).Id);
        var body = h.Fake.RequestsTo("PUT /applications/{application_id}/guilds/{guild_id}/commands").Single().Json!;
        Assert.Equal("reason", body[0]!["options"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Option_choices_are_sent_and_choices_with_autocomplete_are_refused()
    {
        await using var h = await Harness.StartAsync();
        var scope = new ApplicationCommandOption(3, "scope", "Whose", false) { Choices = [new("me", "me"), new("team", "team")] };

        await h.Rest.BulkOverwriteGuildCommandsAsync(h.Fake.ApplicationId, h.Fake.GuildId,
            [new() { Name = "stats", Description = "Stats", Options = [scope] }]);
        var body = h.Fake.RequestsTo("PUT /applications/{application_id}/guilds/{guild_id}/commands").Single().Json!;
        Assert.Equal("team", body[0]!["options"]![0]!["choices"]![1]!["value"]!.GetValue<string>());

        var both = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.BulkOverwriteGuildCommandsAsync(h.Fake.ApplicationId, h.Fake.GuildId,
            [new() { Name = "stats", Description = "Stats", Options = [scope with { Autocomplete = true }] }]));
        Assert.Equal(DiscordErrorCodes.InvalidFormBody, both.Code);
    }

    [Fact]
    public async Task Interaction_callback_within_three_seconds_succeeds_without_the_bot_token()
    {
        await using var h = await Harness.StartAsync();
        var interaction = await h.Fake.CreateInteractionAsync(h.Fake.GeneralTextChannelId, 5, [6]);

        await h.Rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(
            InteractionCallbackTypes.ChannelMessage, new InteractionCallbackData { Content = "Closed", Flags = InteractionCallbackData.Ephemeral }));

        Assert.Equal(64, interaction.Response!["data"]!["flags"]!.GetValue<int>());
        Assert.Null(h.Fake.Requests.Single().Header("Authorization"));
    }

    [Fact]
    public async Task A_second_callback_is_rejected_with_40060()
    {
        await using var h = await Harness.StartAsync();
        var interaction = await h.Fake.CreateInteractionAsync(h.Fake.GeneralTextChannelId, 5, [6]);
        await h.Rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.DeferredUpdateMessage));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateInteractionResponseAsync(
            interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.DeferredUpdateMessage)));

        Assert.Equal(40060, error.Code);
    }

    [Fact]
    public async Task A_late_callback_is_rejected_as_an_unknown_interaction()
    {
        await using var h = await Harness.StartAsync(new() { InteractionTimeout = TimeSpan.Zero });
        var interaction = await h.Fake.CreateInteractionAsync(h.Fake.GeneralTextChannelId, 5, [6]);

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateInteractionResponseAsync(
            interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.DeferredChannelMessage)));

        Assert.Equal(10062, error.Code);
    }

    [Fact]
    public async Task The_original_response_can_be_edited_as_a_follow_up()
    {
        await using var h = await Harness.StartAsync();
        var interaction = await h.Fake.CreateInteractionAsync(h.Fake.GeneralTextChannelId, 5, [6]);
        await h.Rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackTypes.DeferredChannelMessage));

        var message = await h.Rest.EditWebhookMessageAsync(h.Fake.ApplicationId, interaction.Token, "@original", new EditMessageRequest { Content = "Done" });

        Assert.Equal("Done", message.Content);
    }
}
