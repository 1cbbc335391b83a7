using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

public sealed partial class DiscordRestClient
{
    private readonly RestPipeline _pipeline;

    public DiscordRestClient(HttpClient http, IOptions<DiscordClientOptions> options, ILogger<DiscordRestClient>? logger = null)
    {
        _pipeline = new RestPipeline(http, options.Value, (ILogger?)logger ?? NullLogger.Instance, TimeProvider.System);
    }

    public int InvalidRequestCount => _pipeline.InvalidRequestCount;

    public bool IsUnauthorized => _pipeline.IsUnauthorized;

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken ct = default) =>
        await SendAsync<GatewayBotInfo>(Request(HttpMethod.Get, "/gateway/bot", "/gateway/bot", ""), ct);

    private static RestRequest Request(HttpMethod method, string path, string template, string major, object? body = null) =>
        new(method, path, new RestRoute(method.Method, template, major), () => body is null ? null : Json(body))
        {
            Retryable = method != HttpMethod.Post,
        };

    private async Task<T> SendAsync<T>(RestRequest request, CancellationToken ct)
    {
        var body = await _pipeline.SendAsync(request, ct);
        return JsonSerializer.Deserialize<T>(body, DiscordJson.Options)
            ?? throw new JsonException($"{request.Route.RouteKey} returned an empty body.");
    }

    private Task SendAsync(RestRequest request, CancellationToken ct) => _pipeline.SendAsync(request, ct);

    private static StringContent Json(object body)
    {
        var content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), DiscordJson.Options), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
