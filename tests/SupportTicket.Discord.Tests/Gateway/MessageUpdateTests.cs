using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Gateway;

/// <summary>MESSAGE_UPDATE carries the whole message since 2024; only a new edited_timestamp marks an edit.</summary>
public sealed class MessageUpdateTests
{
    [Fact]
    public async Task An_edit_carries_the_whole_message_with_a_new_edited_timestamp()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var id = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 7, "v1", [5]);

        await h.Fake.EditUserMessageAsync(h.Fake.GeneralTextChannelId, id, "v2");

        var update = (await gateway.WaitForAsync<MessageUpdateEvent>()).Message;
        Assert.Equal((id, h.Fake.GeneralTextChannelId, "v2"), (update.Id, update.ChannelId, update.Content));
        Assert.NotNull(update.EditedTimestamp);
        Assert.Equal(7UL, update.Author!.Id);
    }

    [Fact]
    public async Task A_link_unfurl_carries_the_unchanged_content_and_no_edited_timestamp()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var id = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 7, "see https://example.org", [5]);

        await h.Fake.UnfurlEmbedAsync(h.Fake.GeneralTextChannelId, id, "https://example.org");

        var update = (await gateway.WaitForAsync<MessageUpdateEvent>()).Message;
        Assert.Equal("see https://example.org", update.Content);
        Assert.Null(update.EditedTimestamp);
        Assert.Equal("https://example.org", Assert.Single(update.Embeds!).Url);
    }

    [Fact]
    public async Task The_bots_own_edit_is_whole_too_and_a_human_delete_carries_only_ids()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var message = await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        await h.Rest.EditMessageAsync(message.ChannelId, message.Id, new EditMessageRequest { Content = "b" });
        await h.Fake.DeleteUserMessageAsync(message.ChannelId, message.Id);

        var update = (await gateway.WaitForAsync<MessageUpdateEvent>()).Message;
        var delete = await gateway.WaitForAsync<MessageDeleteEvent>();
        Assert.Equal("b", update.Content);
        Assert.True(update.Author!.Bot);
        Assert.Equal((message.Id, h.Fake.GuildId), (delete.Id, delete.GuildId));
    }
}
