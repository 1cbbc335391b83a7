using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Rest;

/// <summary>Discord's object limits as the fake enforces them, and the error details the client keeps.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task A_full_category_fails_with_50035_naming_parent_id_and_CHANNEL_PARENT_MAX_CHANNELS()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, MaxChannelsPerCategory = 2 });
        var category = h.Fake.GeneralCategoryId;
        await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t1", ParentId: category));
        await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t2", ParentId: category));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t3", ParentId: category)));

        Assert.Equal((System.Net.HttpStatusCode.BadRequest, DiscordErrorCodes.InvalidFormBody), (error.Status, error.Code));
        Assert.True(error.HasFieldError(DiscordErrorCodes.CategoryFull));
        Assert.Equal("parent_id", Assert.Single(error.FieldErrors).Path);
        Assert.Equal("CHANNEL_PARENT_MAX_CHANNELS",
            error.Errors!.Value.GetProperty("parent_id").GetProperty("_errors")[0].GetProperty("code").GetString());
        Assert.Contains("CHANNEL_PARENT_MAX_CHANNELS", error.Message);
    }

    [Fact]
    public async Task Moving_a_channel_into_a_full_category_fails_the_same_way()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, MaxChannelsPerCategory = 1 });
        await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("archived", ParentId: h.Fake.ArchiveCategoryId));
        var open = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("open", ParentId: h.Fake.GeneralCategoryId));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.ModifyChannelAsync(open.Id, new ModifyChannelRequest(ParentId: h.Fake.ArchiveCategoryId)));
        var stays = await h.Rest.ModifyChannelAsync(open.Id, new ModifyChannelRequest(ParentId: h.Fake.GeneralCategoryId, Topic: "x"));

        Assert.True(error.HasFieldError(DiscordErrorCodes.CategoryFull));
        Assert.Equal(h.Fake.GeneralCategoryId, stays.ParentId);
    }

    [Fact]
    public async Task A_full_guild_fails_with_30013()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, MaxGuildChannels = 6 });
        await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("sixth"));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("seventh")));

        Assert.Equal(DiscordErrorCodes.MaxGuildChannels, error.Code);
        Assert.Equal(6, h.Fake.Store.Channels.Count);
    }

    [Fact]
    public async Task The_sixteenth_webhook_of_a_channel_fails_with_30007_and_deleting_the_channel_frees_them()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 5000, MaxWebhooksPerChannel = 2 });
        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t"));
        await h.Rest.CreateWebhookAsync(channel.Id, "a");
        await h.Rest.CreateWebhookAsync(channel.Id, "b");

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateWebhookAsync(channel.Id, "c"));
        await h.Rest.DeleteChannelAsync(channel.Id);

        Assert.Equal(DiscordErrorCodes.MaxWebhooks, error.Code);
        Assert.Empty(h.Fake.Store.Webhooks);
    }

    [Fact]
    public async Task A_message_over_2000_characters_keeps_the_errors_tree()
    {
        await using var h = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = new string('x', 2001) }));

        Assert.NotNull(error.Errors);
        Assert.Equal(("content", "BASE_TYPE_MAX_LENGTH"), (Assert.Single(error.FieldErrors).Path, error.FieldErrors[0].Code));
    }
}
