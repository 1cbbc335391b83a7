using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

// Webhook-token routes are authenticated by the path, so no bot token is sent with them.
public sealed partial class DiscordRestClient
{
    private const string WebhookTemplate = "/webhooks/{webhook_id}/{webhook_token}";

    // POST with ?wait=true so the created message (and its id, for edits) comes back. With files it is sent as
    // multipart (payload_json + files[n]). Webhooks take no nonce, so a create is never retried after a 5xx: after an
    // ambiguous failure, look for the message (GetMessagesAfterAsync) before posting again.
    public Task<DiscordMessage> ExecuteWebhookAsync(
        ulong webhookId, string token, ExecuteWebhookRequest request, CancellationToken ct = default) =>
        ExecuteWebhookAsync(webhookId, token, request, [], ct);

    public Task<DiscordMessage> ExecuteWebhookAsync(
        ulong webhookId, string token, ExecuteWebhookRequest request, IReadOnlyList<FileUpload> files, CancellationToken ct = default)
    {
        var body = request with
        {
            Username = request.Username is null ? null : Helpers.WebhookNames.Sanitize(request.Username),
            Attachments = files.Count == 0 ? request.Attachments : Slots(files),
        };
        var path = $"{WebhookPath(webhookId, token)}?wait=true" + (request.ThreadId is { } thread ? $"&thread_id={Id(thread)}" : "");
        var route = new RestRoute("POST", WebhookTemplate, WebhookMajor(webhookId, token));
        Func<HttpContent?> content = files.Count == 0 ? () => Json(body) : () => Multipart(body, files);
        return SendAsync<DiscordMessage>(new RestRequest(HttpMethod.Post, path, route, content) { BotAuth = false }, ct);
    }

    public Task<DiscordMessage> EditWebhookMessageAsync(
        ulong webhookId, string token, string messageId, EditMessageRequest request, CancellationToken ct = default) =>
        SendAsync<DiscordMessage>(
            Request(new HttpMethod("PATCH"), $"{WebhookPath(webhookId, token)}/messages/{Uri.EscapeDataString(messageId)}",
                WebhookTemplate + "/messages/:id", WebhookMajor(webhookId, token), request) with { BotAuth = false },
            ct);

    public Task DeleteWebhookMessageAsync(ulong webhookId, string token, ulong messageId, CancellationToken ct = default) =>
        SendAsync(
            Request(HttpMethod.Delete, $"{WebhookPath(webhookId, token)}/messages/{Id(messageId)}",
                WebhookTemplate + "/messages/:id", WebhookMajor(webhookId, token)) with { BotAuth = false },
            ct);

    private static string WebhookPath(ulong webhookId, string token) => $"/webhooks/{Id(webhookId)}/{Uri.EscapeDataString(token)}";

    private static string WebhookMajor(ulong webhookId, string token) => $"{Id(webhookId)}/{token}";
}
