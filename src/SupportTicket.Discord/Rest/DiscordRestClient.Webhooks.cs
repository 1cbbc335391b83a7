using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

/// <summary>Webhook-token routes are authenticated by the path, so no bot token is sent with them.</summary>
public sealed partial class DiscordRestClient
{
    private const string WebhookTemplate = "/webhooks/{webhook_id}/{webhook_token}";

    /// <summary>POST with ?wait=true so the created message (and its id, for edits) comes back.</summary>
    public Task<DiscordMessage> ExecuteWebhookAsync(
        ulong webhookId, string token, ExecuteWebhookRequest request, CancellationToken ct = default)
    {
        var body = request with { Username = request.Username is null ? null : Helpers.WebhookNames.Sanitize(request.Username) };
        return SendAsync<DiscordMessage>(
            Request(HttpMethod.Post, $"{WebhookPath(webhookId, token)}?wait=true", WebhookTemplate, WebhookMajor(webhookId, token), body)
                with { BotAuth = false },
            ct);
    }

    /// <summary>messageId may be a snowflake or "@original" (interaction follow-ups).</summary>
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
