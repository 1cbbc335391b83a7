extern alias fake;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Context;
using fake::SupportTicket.FakeDiscord;
using fake::SupportTicket.FakeDiscord.Http;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.RateLimiting;

namespace SupportTicket.Server.Tests.Logging;

/// <summary>ERROR_WEBHOOK_URL / ERROR_BOT_WEBHOOK_URL: the real server's logging pipeline posting to the fake Discord.</summary>
public sealed class DiscordErrorSinkTests : IAsyncLifetime
{
    private const string ExecuteRoute = "POST /webhooks/{webhook_id}/{webhook_token}";
    private readonly FakeDiscordServer _fake = new();
    private ulong _apiChannel;
    private string _apiUrl = "";
    private string _botUrl = "";

    public async Task InitializeAsync()
    {
        await _fake.StartAsync();
        _apiChannel = _fake.GeneralTextChannelId;
        _apiUrl = await CreateWebhookAsync(_apiChannel, "api-errors");
        _botUrl = await CreateWebhookAsync(_apiChannel, "bot-errors");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private TestApp App(int queueLimit = 1000) => new(Store.Sqlite, new Dictionary<string, string?>
    {
        ["Logging:ErrorWebhookUrl"] = _apiUrl,
        ["Logging:ErrorBotWebhookUrl"] = _botUrl,
        ["Logging:ErrorWebhookPeriodMs"] = "200",
        ["Logging:ErrorWebhookQueueLimit"] = queueLimit.ToString(),
        ["Logging:NodeName"] = "node-a",
    });

    private static ILogger Logger(TestApp app, string category)
    {
        app.Anonymous().Dispose(); // starts the host
        return app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
    }

    [Fact]
    public async Task An_error_arrives_as_an_embed_with_level_message_exception_correlation_and_node_and_a_warning_does_not()
    {
        using var app = App();
        var log = Logger(app, "SupportTicket.Server.Tickets.TicketService");
        log.LogWarning("Only a warning");
        using (LogContext.PushProperty("CorrelationId", "corr-123"))
            log.LogError(Thrown(), "Database write failed for {TicketId}", "t-1");

        var embed = Assert.Single(await EmbedsAsync(_apiUrl, expected: 1)).Embed;

        Assert.Equal("Error on node-a", (string?)embed["title"]);
        Assert.Contains("Database write failed for", (string?)embed["description"]);
        var fields = embed["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (string)f!["value"]!);
        Assert.Contains("`System.InvalidOperationException`", fields["Exception"]);
        Assert.Contains("disk on fire", fields["Exception"]);
        Assert.Contains("at ", fields["Exception"]);   // the first stack lines
        Assert.Equal("corr-123", fields["Correlation id"]);
        Assert.Equal("node-a", fields["Node"]);
        var request = _fake.RequestsTo(ExecuteRoute).First(r => r.Status is >= 200 and < 300);
        Assert.Empty(request.Json!["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task A_flood_of_one_error_becomes_one_embed_with_more_like_this()
    {
        using var app = App();
        var log = Logger(app, "SupportTicket.Server.Messages.MessageService");
        for (var i = 0; i < 40; i++) log.LogError("Commit failed on attempt {Attempt}", i);

        var embeds = await EmbedsAsync(_apiUrl, expected: 40);

        Assert.InRange(embeds.Count, 1, 3);
        Assert.Contains(embeds, e => ((string?)e.Embed["footer"]!["text"])!.EndsWith("more like this"));
        Assert.True(_fake.RequestsTo(ExecuteRoute).Count <= 3, "one message per batch, not one per event");
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_then_the_message_is_sent()
    {
        _fake.InjectFault(new Fault(FaultKind.RateLimitUser, ExecuteRoute, Count: 1, RetryAfter: 0.8));
        using var app = App();
        Logger(app, "SupportTicket.Server.Storage.Anything").LogError("Rate limited once");

        await EmbedsAsync(_apiUrl, expected: 1);

        var requests = _fake.RequestsTo(ExecuteRoute);
        Assert.Equal(429, requests[0].Status);
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromSeconds(0.75),
            $"retried after {(requests[1].ArrivedAt - requests[0].ArrivedAt).TotalMilliseconds} ms");
        Assert.Equal(0, _fake.Unforced429Count);
    }

    [Fact]
    public async Task Bot_categories_go_to_the_bot_webhook_and_the_discord_client_and_the_sink_itself_go_nowhere()
    {
        using var app = App();
        Logger(app, "SupportTicket.Server.Discord.Gateway.TicketBot").LogError("Bot failed");
        Logger(app, "SupportTicket.Discord.Rest.DiscordRestClient").LogError("Discord client failed");
        Logger(app, "SupportTicket.Server.Logging.DiscordWebhookSink").LogError("Sink failed");
        Logger(app, "System.Net.Http.HttpClient.Default.LogicalHandler").LogError("HTTP failed");
        Logger(app, "SupportTicket.Server.Tickets.TicketService").LogError("API failed");

        var bot = await EmbedsAsync(_botUrl, expected: 1);
        var api = await EmbedsAsync(_apiUrl, expected: 1);
        await Task.Delay(1000); // anything else would have arrived by now (200 ms batches)

        Assert.Equal("Bot failed", (string?)Assert.Single(await EmbedsAsync(_botUrl, 1)).Embed["description"]);
        Assert.Equal("API failed", (string?)Assert.Single(await EmbedsAsync(_apiUrl, 1)).Embed["description"]);
        Assert.Single(bot);
        Assert.Single(api);
    }

    [Fact]
    public async Task A_full_queue_drops_with_a_count_and_logging_never_waits_for_discord()
    {
        _fake.InjectFault(new Fault(FaultKind.RateLimitUser, ExecuteRoute, Count: 1, RetryAfter: 2));
        using var app = App(queueLimit: 5);
        var log = Logger(app, "SupportTicket.Server.Tickets.TicketService");
        log.LogError("First");
        Assert.True(await Eventually.Until(() => Task.FromResult(_fake.RequestsTo(ExecuteRoute).Count > 0), TimeSpan.FromSeconds(5)));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++) log.LogError(Thrown(), "Flood {N}", i);
        var elapsed = clock.Elapsed;

        Assert.True(elapsed < TimeSpan.FromMilliseconds(500), $"100 error lines took {elapsed.TotalMilliseconds} ms");
        var embeds = await EmbedsAsync(_apiUrl, expected: 6, countDropped: true);
        var dropped = embeds.Single(e => ((string?)e.Embed["title"])!.Contains("error log events dropped"));
        Assert.StartsWith("95 ", (string?)dropped.Embed["title"]);
    }

    [Fact]
    public async Task A_webhook_url_that_is_not_one_refuses_to_start()
    {
        var (exitCode, _, stderr) = await ServerProcess.RunAsync(new() { ["JWT_SECRET_KEY"] = Tokens.Secret, ["ERROR_WEBHOOK_URL"] = "not-a-url" });
        Assert.Equal(1, exitCode);
        Assert.StartsWith("SupportTicket cannot start: ERROR_WEBHOOK_URL must be a Discord webhook URL", stderr.Trim());
    }

    /// <summary>
    /// Waits until the events sent to <paramref name="url"/> add up to <paramref name="expected"/> (an embed counts
    /// 1 + its "+N more like this"), and returns its embeds. The channel is shared, so embeds are told apart by webhook.
    /// </summary>
    private async Task<List<(JsonObject Message, JsonObject Embed)>> EmbedsAsync(string url, int expected, bool countDropped = false)
    {
        var webhookId = url.Split('/')[^2];
        List<(JsonObject, JsonObject)> embeds = [];
        await Eventually.Until(() =>
        {
            embeds = _fake.Store.MessagesIn(_apiChannel).Where(m => (string?)m["webhook_id"] == webhookId)
                .SelectMany(m => m["embeds"]!.AsArray().Select(e => (m, (JsonObject)e!))).ToList();
            return Task.FromResult(embeds.Sum(e => Events(e.Item2, countDropped)) >= expected);
        }, TimeSpan.FromSeconds(15));
        Assert.True(embeds.Sum(e => Events(e.Item2, countDropped)) >= expected,
            $"expected {expected} events at {url}, got: " + string.Join(" | ", embeds.Select(e => e.Item2.ToJsonString())));
        return embeds;
    }

    private static int Events(JsonObject embed, bool countDropped)
    {
        var title = (string?)embed["title"] ?? "";
        if (title.Contains("error log events dropped")) return countDropped ? 1 : 0;
        var footer = (string?)embed["footer"]?["text"] ?? "";
        return footer.StartsWith('+') ? 1 + int.Parse(footer[1..footer.IndexOf(' ')]) : 1;
    }

    private static Exception Thrown()
    {
        try { throw new InvalidOperationException("disk on fire"); }
        catch (InvalidOperationException e) { return e; }
    }

    private async Task<string> CreateWebhookAsync(ulong channel, string name)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bot " + _fake.Options.Token);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.invalid, 1.0)");
        var response = await http.PostAsJsonAsync($"{_fake.ApiBaseUrl}/channels/{channel}/webhooks", new { name });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return $"{_fake.ApiBaseUrl}/webhooks/{(string)body["id"]!}/{(string)body["token"]!}";
    }
}
