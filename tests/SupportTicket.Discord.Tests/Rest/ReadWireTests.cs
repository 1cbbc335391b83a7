using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Rest;

public sealed class ReadWireTests
{
    [Fact]
    public async Task Get_channel_returns_its_parent_topic_and_overwrites()
    {
        await using var h = await Harness.StartAsync();
        var created = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("ticket-1", ParentId: h.Fake.GeneralCategoryId,
            Topic: "ticket:1", PermissionOverwrites: [new PermissionOverwrite(h.Fake.GuildId, 0, Deny: 1024)]));

        var channel = await h.Rest.GetChannelAsync(created.Id);

        Assert.Equal((h.Fake.GeneralCategoryId, "ticket:1"), (channel.ParentId, channel.Topic));
        Assert.Equal(1024UL, Assert.Single(channel.PermissionOverwrites!).Deny);
        Assert.Equal("GET /channels/{channel_id}", h.Fake.Requests[^1].Route);
    }

    [Fact]
    public async Task Get_an_unknown_channel_fails_with_10003()
    {
        await using var h = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.GetChannelAsync(42));

        Assert.Equal(DiscordErrorCodes.UnknownChannel, error.Code);
    }

    [Fact]
    public async Task Guild_channels_list_categories_and_ticket_channels()
    {
        await using var h = await Harness.StartAsync();
        var created = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("ticket-2", ParentId: h.Fake.GeneralCategoryId));

        var channels = await h.Rest.GetGuildChannelsAsync(h.Fake.GuildId);

        Assert.Contains(channels, c => c.Id == h.Fake.GeneralCategoryId && c.Type == ChannelTypes.GuildCategory);
        Assert.Contains(channels, c => c.Id == created.Id && c.ParentId == h.Fake.GeneralCategoryId);
    }

    [Fact]
    public async Task Channel_webhooks_come_back_with_token_and_application_id()
    {
        await using var h = await Harness.StartAsync();
        var hook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");

        var hooks = await h.Rest.GetChannelWebhooksAsync(h.Fake.GeneralTextChannelId);

        var found = Assert.Single(hooks);
        Assert.Equal((hook.Id, hook.Token, h.Fake.ApplicationId), (found.Id, found.Token, found.ApplicationId));
    }

    [Fact]
    public async Task Messages_after_an_id_are_the_oldest_ones_after_it_sorted_newest_first()
    {
        await using var h = await Harness.StartAsync();
        var channel = h.Fake.GeneralTextChannelId;
        var ids = new List<ulong>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await h.Fake.PostUserMessageAsync(channel, 7, $"m{i}"));
        }

        var after = await h.Rest.GetChannelMessagesAsync(channel, after: ids[0], limit: 2);
        var before = await h.Rest.GetChannelMessagesAsync(channel, before: ids[4], limit: 2);
        var latest = await h.Rest.GetChannelMessagesAsync(channel);

        Assert.Equal([ids[2], ids[1]], after.Select(m => m.Id));
        Assert.Equal([ids[3], ids[2]], before.Select(m => m.Id));
        Assert.Equal(ids.AsEnumerable().Reverse(), latest.Select(m => m.Id));
        Assert.Equal($"?limit=2&after={ids[0]}", h.Fake.RequestsTo("GET /channels/{channel_id}/messages")[0].Query);
    }

    [Fact]
    public async Task Messages_after_pages_through_the_whole_backlog_oldest_first()
    {
        await using var h = await Harness.StartAsync();
        var channel = h.Fake.GeneralTextChannelId;
        var first = await h.Fake.PostUserMessageAsync(channel, 7, "already seen");
        var missed = new List<ulong>();
        for (var i = 0; i < 230; i++)
        {
            missed.Add(await h.Fake.PostUserMessageAsync(channel, 7, $"m{i}"));
        }

        var read = new List<ulong>();
        await foreach (var message in h.Rest.GetMessagesAfterAsync(channel, first))
        {
            read.Add(message.Id);
        }

        Assert.Equal(missed, read);
        Assert.Equal(3, h.Fake.RequestsTo("GET /channels/{channel_id}/messages").Count);
    }

    [Fact]
    public async Task A_page_size_outside_1_to_100_is_refused_before_sending()
    {
        await using var h = await Harness.StartAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.Rest.GetChannelMessagesAsync(h.Fake.GeneralTextChannelId, limit: 101));
        await Assert.ThrowsAsync<ArgumentException>(() => h.Rest.GetChannelMessagesAsync(h.Fake.GeneralTextChannelId, after: 1, before: 2));

        Assert.Empty(h.Fake.Requests);
    }

    [Fact]
    public async Task Get_one_message_and_an_unknown_one_fails_with_10008()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 7, "hello");

        var message = await h.Rest.GetMessageAsync(h.Fake.GeneralTextChannelId, id);
        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.GetMessageAsync(h.Fake.GeneralTextChannelId, id + 1));

        Assert.Equal("hello", message.Content);
        Assert.Equal(DiscordErrorCodes.UnknownMessage, error.Code);
    }
}
