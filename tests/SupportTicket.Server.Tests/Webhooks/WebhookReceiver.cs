using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupportTicket.Server.Tests.Webhooks;

/// <summary>One request as the receiver got it, body as raw bytes.</summary>
public sealed record Received(int Index, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    public string EventId => Headers["ST-Event-Id"];
    public string Type => Json.GetProperty("type").GetString()!;

    /// <summary>The v1 signatures of ST-Signature that verify with <paramref name="secret"/> (as an integrator checks).</summary>
    public bool SignedWith(string secret)
    {
        var parts = Headers["ST-Signature"].Split(',').Select(p => p.Split('=', 2)).ToList();
        var t = parts.Single(p => p[0] == "t")[1];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + ".").Concat(Body).ToArray()));
        return parts.Where(p => p[0] == "v1").Any(p => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(p[1]), Encoding.ASCII.GetBytes(expected)));
    }

    public int SignatureCount => Headers["ST-Signature"].Split(',').Count(p => p.StartsWith("v1="));
}

/// <summary>A real HTTP receiver on a loopback port (Kestrel), answering as <see cref="Respond"/> says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Per request (0-based index): the status, and optionally a Retry-After header and a delay before answering.</summary>
    public Func<Received, Task<(int Status, string? RetryAfter)>> Respond { get; set; } = _ => Task.FromResult((200, (string?)null));

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new Received(Interlocked.Increment(ref _count) - 1, DateTimeOffset.UtcNow, headers, buffer.ToArray());
            Requests.Enqueue(received);
            var (status, retryAfter) = await Respond(received);
            if (retryAfter is not null) http.Response.Headers.RetryAfter = retryAfter;
            http.Response.StatusCode = status;
        });
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hook");
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the requests so far.</summary>
    public async Task<List<Received>> WaitFor(Func<List<Received>, bool> condition, int seconds = 20)
    {
        var ok = await Eventually.Until(() => Task.FromResult(condition(Requests.ToList())), TimeSpan.FromSeconds(seconds));
        var got = Requests.ToList();
        Assert.True(ok, $"receiver: condition not met; got {got.Count} request(s): {string.Join(", ", got.Select(r => r.Type))}");
        return got;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
