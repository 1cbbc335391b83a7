using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using SupportTicket.Server.Metrics;

namespace SupportTicket.Server.Logging;

// Runs on Serilog's batching loop, so no request waits for Discord. Never throws into Serilog and never logs
// through it: its failures go to SelfLog, so it cannot feed itself.
internal sealed class DiscordWebhookSink(Uri url, string username, string node, HttpMessageHandler? handler = null)
    : IBatchedLogEventSink, IDisposable
{
    private const int Attempts = 5;
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
        DefaultRequestHeaders = { { "User-Agent", "DiscordBot (https://github.com/supportticket, 1.0)" } },
    };
    private int _queued;
    private long _dropped;
    private long _droppedUnreported;
    private DateTimeOffset _bucketResetsAt;

    public long Dropped => Interlocked.Read(ref _dropped);

    public bool TryReserve(int limit)
    {
        if (Interlocked.Increment(ref _queued) <= limit) return true;
        Interlocked.Decrement(ref _queued);
        return false;
    }

    public void CountDropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref _droppedUnreported);
        ServerMetrics.ErrorLogDropped.Add(1);
    }

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        Interlocked.Add(ref _queued, -batch.Count);
        var dropped = Interlocked.Exchange(ref _droppedUnreported, 0);
        try
        {
            foreach (var message in DiscordEmbeds.Messages(batch, dropped, username, node))
                await PostAsync(message);
        }
        catch (Exception e)
        {
            SelfLog.WriteLine("Discord error webhook: {0} events not sent: {1}", batch.Count, e.GetType().Name);
        }
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    private async Task PostAsync(JsonObject message)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var wait = _bucketResetsAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            HttpResponseMessage response;
            try
            {
                response = await _http.PostAsJsonAsync(url, message);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                SelfLog.WriteLine("Discord error webhook unreachable ({0}), attempt {1}", e.GetType().Name, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
                continue;
            }
            using (response)
            {
                RememberBucket(response);
                if (response.IsSuccessStatusCode)
                {
                    ServerMetrics.ErrorLogMessagesSent.Add(1);
                    return;
                }
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(await RetryAfterAsync(response));
                    continue;
                }
                if ((int)response.StatusCode >= 500)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                    continue;
                }
                SelfLog.WriteLine("Discord error webhook refused the message: {0}", (int)response.StatusCode);
                return;
            }
        }
        SelfLog.WriteLine("Discord error webhook: gave up after {0} attempts", Attempts);
    }

    private void RememberBucket(HttpResponseMessage response)
    {
        if (Header(response, "X-RateLimit-Remaining") == "0"
            && double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            _bucketResetsAt = DateTimeOffset.UtcNow.AddSeconds(seconds);
    }

    private static async Task<TimeSpan> RetryAfterAsync(HttpResponseMessage response)
    {
        double seconds = 1;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.TryGetProperty("retry_after", out var value) && value.TryGetDouble(out var s)) seconds = s;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            if (double.TryParse(Header(response, "Retry-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var h)) seconds = h;
        }
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0.05, 60));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}
