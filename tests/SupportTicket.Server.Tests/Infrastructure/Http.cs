using System.Net.Http.Json;
using System.Text.Json;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>snake_case JSON helpers shared by every test.</summary>
public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Json);

    public static async Task<JsonElement> Body(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> CreateTicket(this HttpClient client, string topic = "Cannot log in", string? issueLevel = null)
    {
        var response = await client.PostJson("/api/v1/tickets", new { topic, description = "Details of " + topic, issue_level = issueLevel });
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"create ticket: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Body();
    }

    public static async Task<JsonElement> PostMessage(this HttpClient client, string ticketId, string content, bool? @internal = null)
    {
        var response = await client.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content, @internal });
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"post message: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Body();
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
