extern alias fake;
using System.Globalization;
using System.Text.Json.Nodes;
using fake::SupportTicket.FakeDiscord;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Discord;

/// <summary>
/// The real server with the bot on, against a fake Discord on loopback: the bot's REST calls and gateway session
/// are real sockets. Intervals are shortened so retries and backoff finish in a test's time.
/// </summary>
public sealed class DiscordBotHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public const ulong SupportRole = 900_000_000_000_000_001;
    public const ulong AdminRole = 900_000_000_000_000_002;
    public const ulong Agent = 800_000_000_000_000_001;

    private DiscordBotHarness(FakeDiscordServer fake) => Fake = fake;

    public FakeDiscordServer Fake { get; }
    public TestApp App { get; private set; } = null!;
    public ulong UrgentCategoryId { get; private set; }
    public ulong CriticalCategoryId { get; private set; }
    public ulong OverflowCategoryId { get; private set; }
    public ulong TranscriptChannelId { get; private set; }
    public Dictionary<string, string?> Settings { get; } = new();

    public ulong LogChannelId { get; private set; }

    /// <summary><paramref name="configure"/> adds settings that name the fake's channels (Discord:LogChannelId …) before the server starts.</summary>
    public static async Task<DiscordBotHarness> StartAsync(Store store = Store.Sqlite, FakeDiscordOptions? fakeOptions = null,
        IDictionary<string, string?>? settings = null, Action<DiscordBotHarness>? configure = null)
    {
        var fake = new FakeDiscordServer(fakeOptions ?? new FakeDiscordOptions());
        await fake.StartAsync();
        var harness = new DiscordBotHarness(fake);
        harness.UrgentCategoryId = harness.Category("URGENT");
        harness.CriticalCategoryId = harness.Category("CRITICAL");
        harness.OverflowCategoryId = fake.AddChannel("OVERFLOW", 4, null);
        harness.TranscriptChannelId = fake.AddChannel("transcripts", 0, null);
        foreach (var (k, v) in harness.BotSettings()) harness.Settings[k] = v;
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) harness.Settings[k] = v;
        harness.LogChannelId = fake.AddChannel("ticket-log", 0, null);
        configure?.Invoke(harness);
        harness.App = new TestApp(store, harness.Settings);
        _ = harness.App.Server; // starts the host: gateway and sender run from here on
        await harness.WaitUntilAsync(() => fake.Gateway.HasIdentifiedConnection, "the bot's gateway session");
        return harness;
    }

    private Dictionary<string, string?> BotSettings() => new()
    {
        ["Discord:Token"] = Fake.Options.Token,
        ["Discord:ApiBaseUrl"] = Fake.ApiBaseUrl,
        ["Discord:GuildId"] = Id(Fake.GuildId),
        ["Discord:GeneralCategoryId"] = Id(Fake.GeneralCategoryId),
        ["Discord:UrgentCategoryId"] = Id(UrgentCategoryId),
        ["Discord:CriticalCategoryId"] = Id(CriticalCategoryId),
        ["Discord:OverflowCategoryId"] = Id(OverflowCategoryId),
        ["Discord:ArchiveCategoryId"] = Id(Fake.ArchiveCategoryId),
        ["Discord:TranscriptChannelId"] = Id(TranscriptChannelId),
        ["Discord:SupportTeamRoleId"] = Id(SupportRole),
        ["Discord:AdminRoleId"] = Id(AdminRole),
        ["Discord:RetryBaseDelay"] = "00:00:00.050",
        ["Discord:ReconnectDelay"] = "00:00:00.100",
        ["Discord:IdentifyInterval"] = "00:00:00.100",
        ["Discord:CrashLoopDelay"] = "00:00:00.200",
        ["Discord:InvalidSessionDelayMin"] = "00:00:00.050",
        ["Discord:InvalidSessionDelayMax"] = "00:00:00.100",
        ["Discord:OutboxPollMs"] = "100",
        ["Discord:RetryBaseMs"] = "100",
        ["Discord:RetryMaxMs"] = "1000",
    };

    public ulong Category(string name)
    {
        lock (Fake.Store.Gate)
            return ulong.Parse((string)Fake.Store.Channels.Values.Single(c => (string?)c["name"] == name && (int)c["type"]! == 4)["id"]!);
    }

    /// <summary>The ticket's channel in the fake guild, found by the ticket id in its topic.</summary>
    public JsonObject? ChannelOf(string ticketId)
    {
        lock (Fake.Store.Gate)
            return Fake.Store.Channels.Values.FirstOrDefault(c => ((string?)c["topic"])?.Contains(ticketId, StringComparison.Ordinal) == true)
                ?.DeepClone().AsObject();
    }

    public async Task<ulong> WaitForChannelAsync(string ticketId)
    {
        await WaitUntilAsync(() => ChannelOf(ticketId) is not null && Fake.Store.MessagesIn(ChannelId(ticketId)).Count > 0, $"the channel of ticket {ticketId}");
        return ChannelId(ticketId);
    }

    public ulong ChannelId(string ticketId) => ulong.Parse((string)ChannelOf(ticketId)!["id"]!, CultureInfo.InvariantCulture);

    /// <summary>Messages the webhook posted in a channel (customers' and API agents' words), oldest first.</summary>
    public IReadOnlyList<JsonObject> WebhookMessages(ulong channelId) =>
        Fake.Store.MessagesIn(channelId).Where(m => m["webhook_id"] is not null).OrderBy(m => ulong.Parse((string)m["id"]!)).ToList();

    /// <summary>The customer's widget: a hub connection authorized as <paramref name="owner"/> and subscribed to the ticket.</summary>
    public async Task<HubClient> WidgetAsync(TestUser owner, string ticketId)
    {
        var widget = await HubClient.AuthorizedAsync(App, owner);
        await widget.InvokeAsync("subscribe", ticketId);
        return widget;
    }

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(condition, what, timeout ?? Timeout);

    /// <summary>Stops the server; <see cref="StartAgainAsync"/> starts a new one on the same database.</summary>
    public async Task StopAppAsync()
    {
        Settings["Storage:DatabaseUrl"] = App.DatabaseUrl;
        App.KeepDatabase = true;
        await App.DisposeAsync();
        await WaitUntilAsync(() => !Fake.Gateway.HasIdentifiedConnection, "the bot's gateway session to end");
    }

    public async Task StartAgainAsync()
    {
        App = new TestApp(App.Store, Settings);
        _ = App.Server;
        await WaitUntilAsync(() => Fake.Gateway.HasIdentifiedConnection, "the bot's new gateway session");
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Fake.DisposeAsync();
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}

public static class DiscordBotHarnessExtensions
{
    public static async Task<List<System.Text.Json.JsonElement>> WaitForMessagesAsync(this DiscordBotHarness bot, HttpClient client, string ticketId, int count)
    {
        List<System.Text.Json.JsonElement> messages = [];
        await bot.WaitUntilAsync(() =>
        {
            messages = (client.GetAsync($"/api/v1/tickets/{ticketId}/messages").Result.Body().Result).EnumerateArray().ToList();
            return messages.Count >= count;
        }, $"{count} message(s) in ticket {ticketId}");
        return messages;
    }

    public static async Task<System.Text.Json.JsonElement> WaitForTicketAsync(this DiscordBotHarness bot, HttpClient client, string ticketId,
        Func<System.Text.Json.JsonElement, bool> condition)
    {
        System.Text.Json.JsonElement ticket = default;
        await bot.WaitUntilAsync(() =>
        {
            ticket = client.GetAsync($"/api/v1/tickets/{ticketId}").Result.Body().Result;
            return condition(ticket);
        }, $"ticket {ticketId} to change");
        return ticket;
    }
}
