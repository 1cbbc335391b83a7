using System.Text;
using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Http;

/// <summary>One REST request as the fake saw it, for assertions on the wire format.</summary>
public sealed class RecordedRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Query { get; init; }
    /// <summary>Method and route template, e.g. "POST /channels/{channel_id}/messages".</summary>
    public required string Route { get; init; }
    public required string Major { get; init; }
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required byte[] Body { get; init; }
    public string? ContentType { get; init; }
    /// <summary>When it arrived, on the fake's monotonic clock.</summary>
    public required TimeSpan ArrivedAt { get; init; }
    public int Status { get; set; }
    public bool Forced { get; set; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonNode? Json => ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true && Body.Length > 0
        ? JsonNode.Parse(Body)
        : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => $"{ArrivedAt.TotalMilliseconds:0} {Method} {Path} → {Status}";
}
