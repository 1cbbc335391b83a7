using SupportTicket.Discord.Models;
using SupportTicket.Discord.Rest;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord.Http;

namespace SupportTicket.Discord.Tests.Rest.RateLimits;

public sealed class FailureTests
{
    private const string Messages = "POST /channels/{channel_id}/messages";

    [Fact]
    public async Task A_502_is_retried_with_the_same_nonce()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.BadGateway, Messages));

        await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" });

        var requests = h.Fake.RequestsTo(Messages);
        Assert.Equal([502, 200], requests.Select(r => r.Status));
        Assert.Equal(requests[0].Json!["nonce"]!.GetValue<string>(), requests[1].Json!["nonce"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_retried_without_posting_twice()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.BadGatewayAfterCommit, Messages));

        var message = await h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "once" });

        Assert.Equal(2, h.Fake.RequestsTo(Messages).Count);
        var stored = Assert.Single(h.Fake.Store.MessagesIn(h.Fake.GeneralTextChannelId));
        Assert.Equal(message.Id.ToString(), (string?)stored["id"]);
    }

    [Fact]
    public async Task An_upload_whose_answer_was_lost_is_retried_without_posting_twice()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.BadGatewayAfterCommit, Messages));

        await h.Rest.UploadFilesAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest(), [new FileUpload("t.html", "x"u8.ToArray())]);

        Assert.Single(h.Fake.Store.MessagesIn(h.Fake.GeneralTextChannelId));
    }

    [Fact]
    public async Task Server_errors_are_retried_at_most_three_times()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.BadGateway, Messages, Count: 10));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" }));

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, error.Status);
        Assert.Equal(3, h.Fake.RequestsTo(Messages).Count);
    }

    [Fact]
    public async Task A_create_without_a_nonce_is_not_retried_after_a_502()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.BadGateway, "POST /guilds/{guild_id}/channels"));

        await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t")));

        Assert.Single(h.Fake.Requests);
    }

    [Fact]
    public async Task A_401_stops_all_further_rest_traffic()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.InjectFault(new Fault(FaultKind.Unauthorized, "GET /gateway/bot"));

        await Assert.ThrowsAsync<DiscordUnauthorizedException>(() => h.Rest.GetGatewayBotAsync());
        await Assert.ThrowsAsync<DiscordUnauthorizedException>(() =>
            h.Rest.CreateMessageAsync(h.Fake.GeneralTextChannelId, new CreateMessageRequest { Content = "a" }));

        Assert.True(h.Rest.IsUnauthorized);
        Assert.Single(h.Fake.Requests);
        Assert.Equal(1, h.Rest.InvalidRequestCount);
    }

    [Fact]
    public async Task Forbidden_answers_are_counted_as_invalid_requests_and_not_retried()
    {
        await using var h = await Harness.StartAsync();
        var admin = new PermissionOverwrite(1, 0, Allow: 8);

        await Assert.ThrowsAsync<DiscordRestException>(() =>
            h.Rest.CreateGuildChannelAsync(h.Fake.GuildId, new CreateChannelRequest("t", PermissionOverwrites: [admin])));

        Assert.Single(h.Fake.Requests);
        Assert.Equal(1, h.Rest.InvalidRequestCount);
    }
}
