using System.Text.Json.Nodes;
using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Gateway;

public sealed class DispatchTests
{
    [Fact]
    public async Task An_agents_message_arrives_as_a_typed_MESSAGE_CREATE_with_member_roles()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "on it", roles: [555]);

        var message = (await gateway.WaitForAsync<MessageCreateEvent>()).Message;
        Assert.Equal(("on it", 99UL, (ulong?)h.Fake.GuildId), (message.Content, message.Author!.Id, message.GuildId));
        Assert.Equal([555UL], message.Member!.Roles);
        Assert.Null(message.Author.Bot);
    }

    [Fact]
    public async Task The_bots_own_messages_come_back_marked_as_bot_and_webhook_messages_carry_webhook_id()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var webhook = await h.Rest.CreateWebhookAsync(h.Fake.GeneralTextChannelId, "Tickets");

        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "from bot" });
        await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!, new ExecuteWebhookRequest { Content = "from customer" });

        await gateway.WaitForCountAsync<MessageCreateEvent>(2);
        var echoes = gateway.Of<MessageCreateEvent>().Select(e => e.Message).ToList();
        Assert.True(echoes[0].Author!.Bot);
        Assert.Equal(h.Fake.BotUserId, echoes[0].Author!.Id);
        Assert.Equal(webhook.Id, echoes[1].WebhookId);
    }

    [Fact]
    public async Task Edits_and_deletes_arrive_as_MESSAGE_UPDATE_and_MESSAGE_DELETE()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var message = await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        await h.Rest.EditMessageAsync(message.ChannelId, message.Id, new EditMessageRequest { Content = "b" });
        await h.Rest.DeleteMessageAsync(message.ChannelId, message.Id);

        var update = await gateway.WaitForAsync<MessageUpdateEvent>();
        var delete = await gateway.WaitForAsync<MessageDeleteEvent>();
        Assert.Equal(("b", message.Id), (update.Message.Content, update.Message.Id));
        Assert.Equal((message.Id, message.ChannelId), (delete.Id, delete.ChannelId));
    }

    [Fact]
    public async Task Bulk_deletes_arrive_with_every_id()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.DispatchAsync("MESSAGE_DELETE_BULK", new JsonObject
        {
            ["ids"] = new JsonArray("1", "2"),
            ["channel_id"] = "3",
            ["guild_id"] = h.Fake.GuildId.ToString(),
        });

        var bulk = await gateway.WaitForAsync<MessageDeleteBulkEvent>();
        Assert.Equal([1UL, 2UL], bulk.Ids);
    }

    [Fact]
    public async Task A_channel_deleted_by_hand_arrives_as_CHANNEL_DELETE()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("ticket-1"));

        await h.Rest.DeleteChannelAsync(channel.Id);

        Assert.Equal(channel.Id, (await gateway.WaitForAsync<ChannelDeleteEvent>()).Channel.Id);
    }

    [Fact]
    public async Task A_button_click_arrives_as_INTERACTION_CREATE_with_custom_id_and_roles()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        var created = await h.Fake.CreateInteractionAsync(h.Fake.GeneralTextChannelId, 99, [555], customId: "ticket:close:7");

        var interaction = (await gateway.WaitForAsync<InteractionCreateEvent>()).Interaction;
        Assert.Equal((created.Id, created.Token, 3), (interaction.Id, interaction.Token, interaction.Type));
        Assert.Equal("ticket:close:7", interaction.Data!.CustomId);
        Assert.Equal([555UL], interaction.Member!.Roles);
    }

    [Fact]
    public async Task Every_dispatch_is_delivered_once_and_in_order_across_several_drops()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var sent = new List<ulong>();

        for (var round = 0; round < 3; round++)
        {
            sent.Add(await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, $"before {round}"));
            h.Fake.Gateway.DropTcp();
            sent.Add(await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, $"after {round}"));
            await gateway.WaitForCountAsync<ResumedEvent>(round + 1);
        }

        await gateway.WaitForCountAsync<MessageCreateEvent>(sent.Count);
        Assert.Equal(sent, gateway.Of<MessageCreateEvent>().Select(e => e.Message.Id));
        var sequences = gateway.Events.Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    [Fact]
    public async Task A_dispatch_sent_twice_is_delivered_once()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        var first = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "one");
        await h.Fake.Gateway.ResendAsync(h.Fake.Gateway.LastSequence);
        var second = await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, 99, "two");

        // The resent copy travels before the second message on the same socket, so it has been handled by now.
        await gateway.WaitForAsync<MessageCreateEvent>(e => e.Message.Id == second);
        Assert.Equal([first, second], gateway.Of<MessageCreateEvent>().Select(e => e.Message.Id));
    }

    [Fact]
    public async Task An_unknown_dispatch_is_passed_through_untyped()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.Gateway.DispatchAsync("THREAD_CREATE", new JsonObject { ["id"] = "1" });

        var unknown = await gateway.WaitForAsync<UnknownDispatchEvent>();
        Assert.Equal("THREAD_CREATE", unknown.Type);
        Assert.Equal("1", unknown.Data.GetProperty("id").GetString());
    }
}
