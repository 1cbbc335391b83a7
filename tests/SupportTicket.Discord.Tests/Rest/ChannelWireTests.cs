using System.Text.Json.Nodes;
using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Rest;

public sealed class ChannelWireTests
{
    [Fact]
    public async Task Every_bot_request_carries_the_bot_token_and_a_DiscordBot_user_agent()
    {
        await using var h = await Harness.StartAsync();

        await h.Rest.GetGatewayBotAsync();

        var request = Assert.Single(h.Fake.Requests);
        Assert.Equal($"Bot {h.Fake.Options.Token}", request.Header("Authorization"));
        Assert.StartsWith("DiscordBot (", request.Header("User-Agent"));
    }

    [Fact]
    public async Task Gateway_bot_returns_the_gateway_url()
    {
        await using var h = await Harness.StartAsync();

        var info = await h.Rest.GetGatewayBotAsync();

        Assert.Equal(h.Fake.GatewayUrl, info.Url);
        Assert.Equal(1, info.Shards);
    }

    [Fact]
    public async Task Create_channel_sends_ids_and_permission_bits_as_strings()
    {
        await using var h = await Harness.StartAsync();
        PermissionOverwrite[] overwrites = [new(h.Fake.GuildId, 0, Deny: Permissions.ViewChannel), new(777, 0, Allow: Permissions.SupportRole), new(h.Fake.BotUserId, 1, Allow: Permissions.BotMember)];

        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId,
            new CreateChannelRequest("ticket-1-help", ParentId: h.Fake.GeneralCategoryId, PermissionOverwrites: overwrites));

        var body = h.Fake.RequestsTo("POST /guilds/{guild_id}/channels").Single().Json!;
        Assert.Equal(h.Fake.GeneralCategoryId.ToString(), body["parent_id"]!.GetValue<string>());
        Assert.Equal("1024", body["permission_overwrites"]![0]!["deny"]!.GetValue<string>());
        Assert.Equal("536996864", body["permission_overwrites"]![2]!["allow"]!.GetValue<string>());
        Assert.Equal(h.Fake.GeneralCategoryId, channel.ParentId);
    }

    [Fact]
    public async Task Created_channel_names_come_back_lowercased_like_Discord_does()
    {
        await using var h = await Harness.StartAsync();

        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("Ticket 1  Help"));

        Assert.Equal("ticket-1-help", channel.Name);
    }

    [Fact]
    public async Task Audit_log_reason_is_sent_url_encoded()
    {
        await using var h = await Harness.StartAsync();

        await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t"), auditLogReason: "Ticket #1 opened");

        Assert.Equal("Ticket%20%231%20opened", h.Fake.Requests.Single().Header("X-Audit-Log-Reason"));
    }

    [Fact]
    public async Task Modify_channel_sends_only_the_fields_that_change()
    {
        await using var h = await Harness.StartAsync();
        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t"));

        var moved = await h.Rest.ModifyChannelAsync(channel.Id, new ModifyChannelRequest(ParentId: h.Fake.ArchiveCategoryId));

        var body = (JsonObject)h.Fake.RequestsTo("PATCH /channels/{channel_id}").Single().Json!;
        Assert.Equal(["parent_id"], body.Select(p => p.Key));
        Assert.Equal(h.Fake.ArchiveCategoryId, moved.ParentId);
    }

    [Fact]
    public async Task Delete_channel_returns_the_deleted_channel()
    {
        await using var h = await Harness.StartAsync();
        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t"));

        var deleted = await h.Rest.DeleteChannelAsync(channel.Id);

        Assert.Equal(channel.Id, deleted.Id);
        Assert.False(h.Fake.Store.Channels.ContainsKey(channel.Id));
    }

    [Fact]
    public async Task Unknown_channel_surfaces_Discords_error_code()
    {
        await using var h = await Harness.StartAsync();

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.DeleteChannelAsync(12345));

        Assert.Equal(10003, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task Overwrites_with_bits_the_bot_lacks_are_refused_with_missing_permissions()
    {
        await using var h = await Harness.StartAsync();
        var administrator = new PermissionOverwrite(h.Fake.BotUserId, 1, Allow: 8);

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t", PermissionOverwrites: [administrator])));

        Assert.Equal(50013, error.Code);
    }
}
