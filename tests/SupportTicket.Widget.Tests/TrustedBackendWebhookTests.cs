extern alias backend;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SupportTicket.Testing;
using SupportTicket.Widget.Tests.Infrastructure;

namespace SupportTicket.Widget.Tests;

/// <summary>The sample backend receives the server's signed webhooks, verifies them and shows them; forgeries are refused.</summary>
public sealed class TrustedBackendWebhookTests : IAsyncLifetime
{
    private const string JwtKey = "webhook-test-jwt-key-that-is-32-bytes-long!!";
    private const string Secret = "whsec_sample-backend-secret-0123456789abcdef";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("st-hooks-").FullName;
    private KestrelApp _server = null!;
    private KestrelApp _backend = null!;

    public Task InitializeAsync()
    {
        var backendPort = FreeTcpPort.Pick();
        _server = KestrelApp.Start("SupportTicket.Server", FreeTcpPort.Pick(), new Dictionary<string, string?>
        {
            ["Auth:SecretKey"] = JwtKey,
            ["Storage:DatabaseUrl"] = "sqlite:" + Path.Combine(_dataDir, "tickets.db"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Webhooks:Endpoints:0:Url"] = $"http://127.0.0.1:{backendPort}/webhooks/supportticket",
            ["Webhooks:Endpoints:0:Secret"] = Secret,
            ["Webhooks:AllowHttp"] = "true", ["Webhooks:AllowPrivateNetworks"] = "true", ["Webhooks:PollMs"] = "50",
        });
        _backend = KestrelApp.Start("TrustedBackend", backendPort, new Dictionary<string, string?>
        {
            ["JWT_SECRET_KEY"] = JwtKey,
            ["TICKET_SERVER_URL"] = _server.BaseAddress.ToString().TrimEnd('/'),
            ["WIDGET_DIR"] = Path.Combine(RepoPaths.Root, "samples", "widget"),
            ["WEBHOOK_SECRET"] = Secret,
            ["SEED_DEMO_USERS"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        await _server.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_ticket_created_on_the_server_shows_in_the_backend_verified_and_a_forgery_is_refused()
    {
        using var backend = new BackendClient(_backend);
        var session = await backend.SignInAsync("alice", backend::SupportTicket.TrustedBackend.Users.UserStore.DemoPassword("alice"));
        using var server = _server.CreateClient();
        server.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        using var http = _backend.CreateClient();

        // The configured endpoint starts at the feed's end once the server's dispatcher ran: create until one arrives.
        var shown = await Eventually(async () =>
        {
            (await server.PostAsJsonAsync("/api/v1/tickets", new { topic = "Hooked", description = "Webhook test" })).EnsureSuccessStatusCode();
            var events = await http.GetFromJsonAsync<JsonElement>("/webhooks/events");
            return events.GetArrayLength() > 0 ? events : (JsonElement?)null;
        });
        Assert.Equal("ticket.created", shown[0].GetProperty("type").GetString());
        Assert.Equal("Hooked", shown[0].GetProperty("data").GetProperty("topic").GetString());

        var forged = new StringContent("{\"id\":\"evt_forged\",\"type\":\"ticket.deleted\"}", Encoding.UTF8, "application/json");
        forged.Headers.Add("ST-Signature", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('0', 64)}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/webhooks/supportticket", forged)).StatusCode);

        // Correctly signed but 6 minutes old: a replay, refused.
        var body = "{\"id\":\"evt_old\",\"type\":\"ticket.created\"}";
        var old = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        var mac = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{old}.{body}")));
        var replay = new StringContent(body, Encoding.UTF8, "application/json");
        replay.Headers.Add("ST-Signature", $"t={old},v1={mac}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/webhooks/supportticket", replay)).StatusCode);
    }

    private static async Task<JsonElement> Eventually(Func<Task<JsonElement?>> attempt)
    {
        JsonElement? done = null;
        await SupportTicket.Testing.Eventually.UntilAsync(async () => (done = await attempt()) is not null,
            "a webhook to reach the sample backend", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250));
        return done!.Value;
    }
}
