using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SupportTicket.Bench;

/// <summary>The two REST calls the bench makes, with bodies built without reflection so the client stays cheap.</summary>
public sealed class Api(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<string> CreateTicketAsync(string token, string topic, CancellationToken ct)
    {
        using var response = await SendAsync(token, "/api/v1/tickets",
            $$"""{"topic":{{JsonSerializer.Serialize(topic)}},"description":"bench ticket"}""", ct);
        if ((int)response.StatusCode != 201) throw new HttpRequestException($"create ticket: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Status code only: the caller times it and counts failures.</summary>
    public async Task<int> PostMessageAsync(string token, string ticketId, string content, CancellationToken ct)
    {
        using var response = await SendAsync(token, $"/api/v1/tickets/{ticketId}/messages", $$"""{"content":"{{content}}"}""", ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return (int)response.StatusCode;
    }

    public async Task<int> CreateTicketStatusAsync(string token, string topic, CancellationToken ct)
    {
        using var response = await SendAsync(token, "/api/v1/tickets", $$"""{"topic":"{{topic}}","description":"bench ticket"}""", ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return (int)response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(string token, string path, string json, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, ct);
    }

    /// <summary>Content of a given size whose first bytes say which post it is, so receivers can time it (ASCII only).</summary>
    public static string Content(long index, int bytes)
    {
        var head = $"#B{index:D10}#";
        return bytes <= head.Length ? head : head + new string('x', bytes - head.Length);
    }

    /// <summary>Finds the post index written by <see cref="Content"/> inside a received record; -1 if absent.</summary>
    public static long IndexIn(ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf("#B"u8);
        if (at < 0 || record.Length < at + 12) return -1;
        long value = 0;
        foreach (var b in record.Slice(at + 2, 10))
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
