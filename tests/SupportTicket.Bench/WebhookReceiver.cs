using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SupportTicket.Bench;

/// <summary>An HttpListener endpoint: the post index from each body (first receipt time) and the event ids seen.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte> _ids = new();
    private long _duplicates;

    public WebhookReceiver()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        for (var i = 0; i < 16; i++) _ = Task.Run(LoopAsync);
    }

    public string Url { get; }
    public volatile bool Down;
    public ConcurrentDictionary<long, long> Received { get; } = new();
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Distinct event ids received (every type, answered 2xx).</summary>
    public int Events => _ids.Count;

    /// <summary>Subscribes this receiver as an admin; <paramref name="events"/> null: every event type.</summary>
    public async Task SubscribeAsync(HttpClient http, Tokens tokens, BenchOptions options, string[]? events, CancellationToken ct)
    {
        var admin = tokens.For(new BenchUser($"bench-{options.Run}-admin", "bench admin", "ADMIN"));
        var body = JsonSerializer.Serialize(events is null ? new { url = Url, description = "bench" } : (object)new { url = Url, events, description = "bench" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/webhooks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new HttpRequestException($"subscribe: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)} (start the server with Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true)");
    }

    public async Task WaitForAsync(ICollection<long> indexes, TimeSpan timeout, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (indexes.Any(i => !Received.ContainsKey(i)) && Stopwatch.GetTimestamp() < until) await Task.Delay(200, ct);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            if (Down)
            {
                context.Response.StatusCode = 503;
                context.Response.Close();
                continue;
            }
            var now = Stopwatch.GetTimestamp();
            if (!_ids.TryAdd(context.Request.Headers["ST-Event-Id"] ?? "", 0)) Interlocked.Increment(ref _duplicates);
            var index = Api.IndexIn(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (index >= 0) Received.TryAdd(index, now);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose() => _listener.Close();
}
