using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SupportTicket.TrustedBackend.Webhooks;

/// <summary>
/// Receives the ticket server's signed webhooks (issue #26) the way an integrator should: the signature checked over
/// the raw body bytes in constant time, any v1 of a rotation accepted, a timestamp more than 5 minutes off refused,
/// duplicates (same ST-Event-Id) acknowledged but kept once. Keeps the latest events in memory to show them.
/// Enabled by WEBHOOK_SECRET (the secret the server shows when the webhook is created, or its configured one).
/// </summary>
public sealed class WebhookInbox(TimeProvider clock)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private const int Keep = 200;
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private readonly ConcurrentQueue<JsonElement> _events = new();

    public IEnumerable<JsonElement> Latest => _events.Reverse();

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> recently enough.</summary>
    public bool Verify(string? header, byte[] body, string secret)
    {
        if (string.IsNullOrEmpty(header)) return false;
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
        var t = parts.FirstOrDefault(p => p[0] == "t")?[1];
        if (t is null || !long.TryParse(t, out var timestamp)) return false;
        if (Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - timestamp) > Tolerance.TotalSeconds) return false;
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        return parts.Where(p => p[0] == "v1").Any(p => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(p[1]), expected));
    }

    /// <summary>Keeps the event unless its id was seen before (a retry or a redelivery).</summary>
    public void Accept(string eventId, byte[] body)
    {
        if (!_seen.TryAdd(eventId, 0)) return;
        _events.Enqueue(JsonDocument.Parse(body).RootElement.Clone());
        while (_events.Count > Keep && _events.TryDequeue(out var old)) _seen.TryRemove(old.GetProperty("id").GetString()!, out _);
    }
}

public static class WebhookInboxEndpoints
{
    /// <summary>POST /webhooks/supportticket (the ticket server's target) and GET /webhooks/events (Development only: notes included).</summary>
    public static WebApplication MapWebhookInbox(this WebApplication app, string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return app;
        app.MapPost("/webhooks/supportticket", async (HttpRequest request, WebhookInbox inbox) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer); // the raw bytes: re-serialized JSON would not verify
            var body = buffer.ToArray();
            if (!inbox.Verify(request.Headers["ST-Signature"], body, secret))
                return Results.Json(new { error = "UNAUTHORIZED", message = "Bad or stale ST-Signature" }, statusCode: 401);
            inbox.Accept(request.Headers["ST-Event-Id"].ToString(), body);
            return Results.Ok(); // answer at once; real work would be queued
        });
        if (app.Environment.IsDevelopment())
            app.MapGet("/webhooks/events", (WebhookInbox inbox) => Results.Ok(inbox.Latest));
        return app;
    }
}
