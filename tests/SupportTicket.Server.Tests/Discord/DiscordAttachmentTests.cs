extern alias fake;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using fake::SupportTicket.FakeDiscord;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>Agents' attachments are downloaded and served by the ticket server, not linked to Discord's expiring CDN.</summary>
public sealed class DiscordAttachmentTests
{
    [Fact]
    public async Task An_agents_attachment_is_downloaded_and_served_by_the_ticket_server()
    {
        await using var cdn = await StartCdnAsync("log line 1\nlog line 2");
        await using var bot = await DiscordBotHarness.StartAsync(settings: new Dictionary<string, string?> { ["Discord:PublicBaseUrl"] = "https://tickets.example.com" });
        var owner = TestUser.Customer(Unique.Id("cust"), "ivy");
        var customer = bot.App.ClientFor(owner);
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);

        await bot.Fake.Gateway.DispatchAsync("MESSAGE_CREATE", new JsonObject
        {
            ["id"] = bot.Fake.Store.Ids.Next().ToString(), ["channel_id"] = channel.ToString(), ["guild_id"] = bot.Fake.GuildId.ToString(),
            ["author"] = new JsonObject { ["id"] = Agent.ToString(), ["username"] = "jo" },
            ["member"] = new JsonObject { ["roles"] = new JsonArray(SupportRole.ToString()) },
            ["content"] = "here is the log", ["type"] = 0,
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["id"] = "1", ["filename"] = "server.log", ["size"] = 21, ["url"] = cdn.Url + "/attachments/1/server.log",
            }),
        });

        var message = (await bot.WaitForMessagesAsync(customer, ticketId, 1)).Single();
        var link = message.GetProperty("attachments")[0].GetString()!;
        Assert.StartsWith("https://tickets.example.com/api/v1/attachments/", link);
        var served = await customer.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("log line 1\nlog line 2", await served.Content.ReadAsStringAsync());
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task An_agents_files_are_deleted_with_their_message_and_with_the_ticket(Store store)
    {
        await using var bot = await DiscordBotHarness.StartAsync(store, settings: new Dictionary<string, string?> { ["Discord:PublicBaseUrl"] = "https://tickets.example.com" });
        var customer = bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "ivy"));
        var staff = bot.App.ClientFor(Unique.Agent());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        var agent = new FakeMember(Agent, [SupportRole]);
        var reply = await bot.Fake.PostUserMessageAsync(channel, agent, "the log", [new FakeFile("server.log", Encoding.UTF8.GetBytes("log"))]);
        await bot.Fake.PostUserMessageAsync(channel, agent, "!note the dump", [new FakeFile("dump.bin", new byte[70_000])]);
        var messages = await bot.WaitForMessagesAsync(staff, ticketId, 2);
        var (replyLink, noteLink) = (Link(messages, "the log"), Link(messages, "the dump"));
        Assert.Equal(HttpStatusCode.OK, (await bot.App.Anonymous().GetAsync(replyLink)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bot.App.Anonymous().GetAsync(noteLink)).StatusCode);

        await bot.Fake.DeleteUserMessageAsync(channel, reply);
        await bot.WaitUntilAsync(() => bot.App.Anonymous().GetAsync(replyLink).Result.StatusCode == HttpStatusCode.NotFound, "the reply's file to go");
        Assert.Equal(HttpStatusCode.OK, (await bot.App.Anonymous().GetAsync(noteLink)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await bot.App.ClientFor(Unique.Admin()).DeleteAsync($"/api/v1/tickets/{ticketId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bot.App.Anonymous().GetAsync(noteLink)).StatusCode);
    }

    [Fact]
    public async Task A_customers_upload_reaches_the_ticket_channel_as_a_file_on_the_relayed_message()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "ivy"));
        var ticketId = (await customer.CreateTicket()).Str("id");
        var channel = await bot.WaitForChannelAsync(ticketId);
        var png = Attachments.UploadSamples.Png();
        var upload = await (await customer.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Attachments.UploadSamples.Form(png, "screen.png"))).Body();
        var posted = await customer.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content = "my screen", attachments = new[] { upload.Str("id") } });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        await bot.WaitUntilAsync(() => bot.WebhookMessages(channel).Any(m => ((string?)m["content"])?.StartsWith("my screen") == true), "the relayed message");
        var relayed = bot.WebhookMessages(channel).Single(m => ((string?)m["content"])!.StartsWith("my screen"));
        var file = bot.Fake.Store.Uploads.Single(u => u.MessageId == ulong.Parse((string)relayed["id"]!));
        Assert.Equal("screen.png", file.FileName);
        Assert.Equal(upload.GetProperty("size").GetInt64(), file.Content.Length);
        Assert.Equal("screen.png", (string?)relayed["attachments"]![0]!["filename"]);
    }

    [Fact]
    public async Task The_transcript_shows_an_uploaded_image_inline_as_a_thumbnail_and_keeps_other_files_as_links()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var customer = bot.App.ClientFor(TestUser.Customer(Unique.Id("cust"), "ivy"));
        var ticketId = (await customer.CreateTicket()).Str("id");
        await bot.WaitForChannelAsync(ticketId);
        var image = await (await customer.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Attachments.UploadSamples.Form(Attachments.UploadSamples.Png(1600, 900), "screen.png"))).Body();
        var log = await (await customer.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Attachments.UploadSamples.Form("line 1\nline 2"u8.ToArray(), "app.log"))).Body();
        var posted = await customer.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content = "my screen", attachments = new[] { image.Str("id"), log.Str("id") } });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var closed = await bot.App.ClientFor(Unique.Agent()).PostJson($"/api/v1/tickets/{ticketId}/close", new { reason = "solved" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        string? html = null;
        await bot.WaitUntilAsync(() => (html = TranscriptOf(bot, ticketId)) is not null, "the transcript");

        var images = Regex.Matches(html!, "<img class=\"i\" alt=\"([^\"]*)\" src=\"data:(image/(?:png|jpeg));base64,([^\"]+)\">");
        var embedded = Assert.Single(images);
        Assert.Equal("screen.png", embedded.Groups[1].Value);
        using var thumbnail = SkiaSharp.SKBitmap.Decode(Convert.FromBase64String(embedded.Groups[3].Value));
        Assert.NotNull(thumbnail);
        Assert.Equal((640, 360), (thumbnail.Width, thumbnail.Height));
        Assert.Contains($"/api/v1/attachments/{image.Str("id")}/screen.png", html);
        Assert.Contains($"/api/v1/attachments/{log.Str("id")}/app.log\">", html);
        Assert.DoesNotContain("alt=\"app.log\"", html);
    }

    private static string? TranscriptOf(DiscordBotHarness bot, string ticketId)
    {
        lock (bot.Fake.Store.Gate)
            return bot.Fake.Store.Uploads.Where(u => u.FileName.StartsWith("transcript-", StringComparison.Ordinal))
                .Select(u => Encoding.UTF8.GetString(u.Content)).FirstOrDefault(h => h.Contains(ticketId, StringComparison.Ordinal));
    }

    private static string Link(List<JsonElement> messages, string content) =>
        new Uri(messages.Single(m => m.Str("content") == content).GetProperty("attachments")[0].GetString()!).PathAndQuery;

    private sealed record Cdn(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Cdn> StartCdnAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/attachments/{id}/{name}", () => Results.Text(body, "text/plain", Encoding.UTF8));
        await app.StartAsync();
        return new Cdn(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
