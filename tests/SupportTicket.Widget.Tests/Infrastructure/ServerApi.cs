extern alias backend;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using backend::SupportTicket.TrustedBackend.Users;

namespace SupportTicket.Widget.Tests.Infrastructure;

/// <summary>The ticket server's REST API with a token from the trusted backend: what an agent's own tools do.</summary>
public sealed class ServerApi : IDisposable
{
    private readonly HttpClient _http;

    private ServerApi(HttpClient http) => _http = http;

    public static async Task<ServerApi> SignInAsync(WidgetStack stack, string username, string? password = null)
    {
        using var backend = new BackendClient(stack.Backend);
        var session = await backend.SignInAsync(username, password ?? UserStore.DemoPassword(username));
        var http = stack.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return new ServerApi(http);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        await _http.PostAsJsonAsync("/api/v1" + path, body ?? new { }, BackendClient.Json);

    public async Task<JsonElement> PostOkAsync(string path, object? body = null)
    {
        using var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _http.GetAsync("/api/v1" + path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
