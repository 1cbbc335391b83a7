using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.RateLimiting;

namespace SupportTicket.Server.Tests.Metrics;

/// <summary>/metrics: Prometheus text that promtool accepts, built-in meters and ours, and who may read it.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Scrape_has_kestrel_aspnetcore_and_our_instruments_and_passes_promtool()
    {
        using var app = new TestApp(Store.Sqlite, RateLimitSettings.Limits(new() { ["RateLimits:Policies:ListTickets:PermitLimit"] = "1" }));
        var address = app.StartOnLoopback();
        using var client = new HttpClient { BaseAddress = address };
        var owner = Unique.Customer();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(owner));
        var ticket = await client.CreateTicket();
        await using var hub = await HubClient.ConnectAsync(new HubConnectionBuilder().WithUrl(new Uri(address, HubClient.Path)));
        await hub.AuthorizeAsync(owner);
        await using (var refused = await HubClient.ConnectAsync(new HubConnectionBuilder().WithUrl(new Uri(address, HubClient.Path))))
        {
            await refused.InvokeAsync("authorize", new { token = "not-a-token" });
            await refused.NextEventAsync("error");
        }
        await client.PostMessage(ticket.Str("id"), "hello");
        await hub.NextEventForAsync(ticket.Str("id"), "message");
        await client.GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/tickets")).StatusCode);

        var text = await new HttpClient { BaseAddress = address }.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^supportticket_messages_posted_total(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^supportticket_messages_batch_size_bucket\{", text);
        Assert.Matches(@"(?m)^supportticket_db_commit_duration_seconds_bucket\{", text);
        Assert.Matches(@"(?m)^supportticket_ratelimit_rejections_total\{[^}]*policy=""ListTickets""", text);
        Assert.Matches(@"(?m)^supportticket_hub_connections_total\{[^}]*authorized=""true""[^}]*\} [1-9]", text);
        Assert.Matches(@"(?m)^supportticket_hub_connections_total\{[^}]*authorized=""false""[^}]*\} [1-9]", text);
        Assert.Matches(@"(?m)^supportticket_events_delivered_total\{[^}]*event=""message""[^}]*\} [1-9]", text);
        Assert.Matches(@"(?m)^supportticket_events_delivery_duration_seconds_count(\{[^}]*\})? [1-9]", text);
        // Our durations are milliseconds: each histogram needs buckets that tell them apart (OpenTelemetry's default
        // boundaries, 0, 5, 10, … 10000, are for milliseconds, and in seconds put every observation in one bucket).
        var fineBuckets = System.Text.RegularExpressions.Regex.Matches(text, @"(?m)^(supportticket_\w+_seconds)_bucket\{[^}]*le=""([^""]+)""")
            .GroupBy(m => m.Groups[1].Value, m => m.Groups[2].Value)
            .ToDictionary(g => g.Key, g => g.Count(le => le != "+Inf" && double.Parse(le, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 0.01));
        Assert.Contains("supportticket_events_delivery_duration_seconds", fineBuckets.Keys);
        Assert.All(fineBuckets, h => Assert.True(h.Value >= 2, $"{h.Key} has {h.Value} buckets in (0, 10 ms]"));
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_bucket\{", text);   // ASP.NET Core hosting
        Assert.Matches(@"(?m)^kestrel_active_connections\{", text);                       // Kestrel
        var (exit, output) = await PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics: " + output);
    }

    [Fact]
    public async Task With_a_token_a_scrape_without_it_gets_401_with_the_error_body()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["Metrics:Token"] = "scrape-token-123" });
        var client = app.Anonymous();

        var denied = await client.GetAsync("/metrics");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-token-123");
        var allowed = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await denied.Body()).Str("error"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("# TYPE", await allowed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Production_without_a_token_does_not_serve_metrics()
    {
        using var app = new ProductionApp();
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Production_with_a_token_serves_metrics_to_that_token_only()
    {
        using var app = new ProductionApp(new Dictionary<string, string?> { ["Metrics:Token"] = "prod-scrape-token" });
        var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "prod-scrape-token");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
    }

    private sealed class ProductionApp(IDictionary<string, string?>? settings = null) : TestApp(Store.Sqlite, settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    internal static async Task<(int Exit, string Output)> PromtoolAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool is missing: run the tests with tests/run.sh");
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
