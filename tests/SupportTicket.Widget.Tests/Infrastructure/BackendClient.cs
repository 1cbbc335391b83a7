using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SupportTicket.Widget.Tests.Infrastructure;

public sealed record SessionJson(string Token, long ExpiresAt, UserJson User);

public sealed record UserJson(string Id, string Username, string Email, string Role);

/// <summary>Talks to the trusted backend over HTTP like the widget does, cookie jar included.</summary>
public sealed class BackendClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public BackendClient(KestrelApp backend)
    {
        Http = backend.CreateClient(new SocketsHttpHandler { CookieContainer = Cookies });
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        Http.PostAsJsonAsync(path, body ?? new { }, Json);

    public async Task<SessionJson> SignInAsync(string username, string password)
    {
        var response = await PostAsync("/auth/signin", new { username, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SessionJson>(Json))!;
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static JwtSecurityToken Decode(string token) => new JwtSecurityTokenHandler().ReadJwtToken(token);

    public void Dispose() => Http.Dispose();
}
