using SupportTicket.Discord.Gateway;
using SupportTicket.Discord.Helpers;
using SupportTicket.Discord.Models;
using SupportTicket.Discord.Tests.Infrastructure;

namespace SupportTicket.Discord.Tests.Scenarios;

/// <summary>What the later ticket bot will do, written with the public API only.</summary>
public sealed class TicketBotScenarioTests
{
    private const ulong SupportRole = 555;

    [Fact]
    public async Task A_bot_can_open_a_ticket_relay_without_pinging_upload_a_transcript_and_hear_agents()
    {
        await using var h = await Harness.StartAsync();
        await using var gateway = h.StartGateway();
        var ready = await gateway.WaitForAsync<ReadyEvent>();

        var channel = await h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest(
            "ticket-42-" + ChannelNames.Slug("Printer on fire"), ParentId: h.Fake.GeneralCategoryId,
            PermissionOverwrites: [new(h.Fake.GuildId, 0, Deny: Permissions.ViewChannel), new(SupportRole, 0, Allow: Permissions.SupportRole),
                new(ready.User.Id, 1, Allow: Permissions.BotMember)]));
        var webhook = await h.Rest.CreateWebhookAsync(channel.Id, "Tickets");
        await h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!, new ExecuteWebhookRequest
        {
            Content = Mentions.Neutralize("@everyone it is burning"),
            Username = "Discord Dan",
        });
        await h.Rest.UploadFilesAsync(channel.Id, new CreateMessageRequest { Content = "Transcript" },
            [new FileUpload("transcript-42.html", "<html/>"u8.ToArray(), "text/html")]);
        await h.Fake.PostUserMessageAsync(channel.Id, 99, "Unplug it", roles: [SupportRole]);

        await gateway.WaitForCountAsync<MessageCreateEvent>(3);
        var fromAgents = gateway.Of<MessageCreateEvent>().Select(e => e.Message)
            .Where(m => m.Author?.Bot != true && m.WebhookId is null && m.Author?.Id != ready.User.Id).ToList();
        Assert.Equal("Unplug it", Assert.Single(fromAgents).Content);
        Assert.Equal("ticket-42-printer-on-fire", channel.Name);
        Assert.All(h.Fake.Requests.Where(r => r.Json?["allowed_mentions"] is not null),
            r => Assert.Empty(r.Json!["allowed_mentions"]!["parse"]!.AsArray()));
        Assert.Equal(0, h.Fake.Unforced429Count);
    }
}
