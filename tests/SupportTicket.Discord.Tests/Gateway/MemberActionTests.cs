using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Gateway;

/// <summary>What agents do in the Discord UI arrives typed: names, attachments, typing, channel changes.</summary>
public sealed class MemberActionTests
{
    [Fact]
    public async Task A_message_carries_username_global_name_nick_and_roles()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var agent = new FakeMember(42, [7, 8], Username: "ann_k", GlobalName: "Ann K", Nick: "Ann (support)");

        await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, agent, "hi");

        var message = (await gateway.WaitForAsync<MessageCreateEvent>()).Message;
        Assert.Equal(("ann_k", "Ann K"), (message.Author!.Username, message.Author.GlobalName));
        Assert.Equal("Ann (support)", message.Member!.Nick);
        Assert.Equal([7UL, 8UL], message.Member.Roles);
    }

    [Fact]
    public async Task Attachments_can_be_downloaded_until_their_urls_expire()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();
        var bytes = "%PDF-1.4 fake"u8.ToArray();

        await h.Fake.PostUserMessageAsync(h.Fake.GeneralTextChannelId, new FakeMember(42, [7]), "see attached", [new FakeFile("log file.pdf", bytes)]);

        var attachment = Assert.Single((await gateway.WaitForAsync<MessageCreateEvent>()).Message.Attachments!);
        using var http = new HttpClient();
        Assert.Equal(("log file.pdf", bytes.Length), (attachment.Filename, attachment.Size));
        Assert.Equal(bytes, await http.GetByteArrayAsync(attachment.Url));
        h.Fake.AttachmentsExpired = true;
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(attachment.Url)).StatusCode);
    }

    [Fact]
    public async Task Typing_arrives_as_TYPING_START_with_the_member()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway(o => o.Intents = GatewayIntents.Default | GatewayIntents.GuildMessageTyping);
        await gateway.WaitForAsync<GuildCreateEvent>();

        await h.Fake.TypingAsync(h.Fake.GeneralTextChannelId, new FakeMember(42, [7], Nick: "Ann"));

        var typing = await gateway.WaitForAsync<TypingStartEvent>();
        Assert.Equal((h.Fake.GeneralTextChannelId, 42UL, "Ann"), (typing.ChannelId, typing.UserId, typing.Member!.Nick));
        Assert.Equal(42UL, typing.Member.User!.Id);
    }

    [Fact]
    public async Task Channel_create_and_update_arrive_typed()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        await gateway.WaitForAsync<GuildCreateEvent>();

        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t", ParentId: h.Fake.GeneralCategoryId));
        await h.Rest.ModifyChannelAsync(channel.Id, new ModifyChannelRequest(ParentId: h.Fake.ArchiveCategoryId));

        Assert.Equal(h.Fake.GeneralCategoryId, (await gateway.WaitForAsync<ChannelCreateEvent>()).Channel.ParentId);
        Assert.Equal(h.Fake.ArchiveCategoryId, (await gateway.WaitForAsync<ChannelUpdateEvent>()).Channel.ParentId);
    }
}
