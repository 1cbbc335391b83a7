extern alias fake;
using System.Globalization;
using fake::SupportTicket.FakeDiscord;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Testing;
using static SupportTicket.Server.Tests.Discord.DiscordBotHarness;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>The server as its own process, killed (no graceful stop) in the middle of a conversation.</summary>
public sealed class DiscordProcessTests
{
    [Fact]
    public async Task Server_killed_mid_conversation_loses_and_doubles_nothing_after_restart()
    {
        await using var fake = new FakeDiscordServer();
        await fake.StartAsync();
        var transcripts = fake.AddChannel("transcripts", 0, null);
        var directory = Directory.CreateTempSubdirectory("st-bot-proc-").FullName;
        var port = FreeTcpPort.Pick();
        var environment = new Dictionary<string, string>
        {
            ["JWT_SECRET_KEY"] = Tokens.Secret, ["DATABASE_URL"] = "sqlite:" + Path.Combine(directory, "bot.db"),
            ["WEB_SERVER_PORT"] = port.ToString(CultureInfo.InvariantCulture), ["LOG_LEVEL"] = "Warning",
            ["DISCORD_BOT_TOKEN"] = fake.Options.Token, ["GUILD_ID"] = Id(fake.GuildId), ["Discord__ApiBaseUrl"] = fake.ApiBaseUrl,
            ["GENERAL_TICKET_CATEGORY_ID"] = Id(fake.GeneralCategoryId), ["URGENT_TICKET_CATEGORY_ID"] = Id(fake.GeneralCategoryId),
            ["CRITICAL_TICKET_CATEGORY_ID"] = Id(fake.GeneralCategoryId), ["TRANSCRIPT_CHANNEL_ID"] = Id(transcripts),
            ["SUPPORT_TEAM_ROLE_ID"] = Id(SupportRole), ["Discord__OutboxPollMs"] = "100", ["Discord__RetryBaseMs"] = "100",
            ["Discord__RetryBaseDelay"] = "00:00:00.050", ["Discord__ReconnectDelay"] = "00:00:00.100",
            ["Discord__IdentifyInterval"] = "00:00:00.100", ["Discord__CrashLoopDelay"] = "00:00:00.200",
            // The waits below poll the message list faster than its seed limit (15 a minute) allows, as TestApp's apps do.
            ["RateLimits__Enabled"] = "false",
        };
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        api.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(TestUser.Customer(Unique.Id("cust"), "kim")));

        var server = await StartAsync(environment);
        try
        {
            var ticketId = (await api.CreateTicket()).Str("id");
            await Eventually.UntilAsync(() => ChannelOf(fake, ticketId) is not null && fake.Store.MessagesIn(ChannelOf(fake, ticketId)!.Value).Count > 0, "the channel", Slow, TimeSpan.FromMilliseconds(100));
            var channel = ChannelOf(fake, ticketId)!.Value;
            await api.PostMessage(ticketId, "customer 1");
            await fake.PostUserMessageAsync(channel, Agent, "agent 1", [SupportRole]);
            await Eventually.UntilAsync(() => Messages(api, ticketId).Count == 2 && Webhook(fake, channel).Count == 1, "the first exchange", Slow, TimeSpan.FromMilliseconds(100));

            server.Kill();
            server.Dispose();
            await fake.PostUserMessageAsync(channel, Agent, "agent 2, typed while the server was dead", [SupportRole]);

            server = await StartAsync(environment);
            await Eventually.UntilAsync(() => Messages(api, ticketId).Count == 3, "the backfill of the reply typed meanwhile", Slow, TimeSpan.FromMilliseconds(100));
            await api.PostMessage(ticketId, "customer 2");
            await Eventually.UntilAsync(() => Messages(api, ticketId).Count >= 4 && Webhook(fake, channel).Count >= 2, "the conversation after the restart", Slow, TimeSpan.FromMilliseconds(100));
            await Task.Delay(500); // a duplicate would show up now

            Assert.Equal(["customer 1", "agent 1", "agent 2, typed while the server was dead", "customer 2"], Messages(api, ticketId));
            Assert.Equal(["customer 1", "customer 2"], Webhook(fake, channel));
        }
        finally
        {
            server.Dispose();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<RunningServer> StartAsync(Dictionary<string, string> environment)
    {
        var server = new RunningServer(environment);
        await server.WaitUntilReadyAsync();
        return server;
    }

    private static List<string> Messages(HttpClient api, string ticketId) =>
        api.GetAsync($"/api/v1/tickets/{ticketId}/messages").Result.Body().Result.EnumerateArray().Select(m => m.Str("content")).ToList();

    private static List<string> Webhook(FakeDiscordServer fake, ulong channel) =>
        fake.Store.MessagesIn(channel).Where(m => m["webhook_id"] is not null).OrderBy(m => ulong.Parse((string)m["id"]!))
            .Select(m => (string)m["content"]!).ToList();

    private static ulong? ChannelOf(FakeDiscordServer fake, string ticketId)
    {
        lock (fake.Store.Gate)
            return fake.Store.Channels.Values.Where(c => ((string?)c["topic"])?.Contains(ticketId, StringComparison.Ordinal) == true)
                .Select(c => (ulong?)ulong.Parse((string)c["id"]!)).FirstOrDefault();
    }

    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60); // a process start, a backfill

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
