using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SupportTicket.Discord.Json;
using SupportTicket.Discord.Models;

namespace SupportTicket.Discord.Rest;

public sealed partial class DiscordRestClient
{
    private const string MessagesTemplate = "/channels/{channel_id}/messages";
    private const string MessageTemplate = "/channels/{channel_id}/messages/:id";

    // POST /channels/{channel}/messages. A nonce with enforce_nonce is always sent, so the call is retried safely after
    // a 5xx: Discord returns the first message instead of posting a second one.
    public Task<DiscordMessage> CreateMessageAsync(ulong channelId, CreateMessageRequest request, CancellationToken ct = default)
    {
        var body = WithNonce(request);
        return SendAsync<DiscordMessage>(
            Request(HttpMethod.Post, $"/channels/{Id(channelId)}/messages", MessagesTemplate, Id(channelId), body)
                with { Retryable = true },
            ct);
    }

    public Task<DiscordMessage> UploadFilesAsync(
        ulong channelId, CreateMessageRequest request, IReadOnlyList<FileUpload> files, CancellationToken ct = default)
    {
        var body = WithNonce(request) with { Attachments = Slots(files) };
        var path = $"/channels/{Id(channelId)}/messages";
        return SendAsync<DiscordMessage>(
            new RestRequest(HttpMethod.Post, path, new RestRoute("POST", MessagesTemplate, Id(channelId)), () => Multipart(body, files))
            {
                Retryable = true,
            },
            ct);
    }

    public Task<DiscordMessage> EditMessageAsync(
        ulong channelId, ulong messageId, EditMessageRequest request, CancellationToken ct = default) =>
        SendAsync<DiscordMessage>(
            Request(new HttpMethod("PATCH"), $"/channels/{Id(channelId)}/messages/{Id(messageId)}", MessageTemplate, Id(channelId), request),
            ct);

    // PUT a reaction as the bot (needs READ_MESSAGE_HISTORY and ADD_REACTIONS). Idempotent: reacting twice with the
    // same emoji leaves one reaction. Unicode emoji are sent URL-encoded.
    public Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default) =>
        SendAsync(
            Request(HttpMethod.Put, $"/channels/{Id(channelId)}/messages/{Id(messageId)}/reactions/{Uri.EscapeDataString(emoji)}/@me",
                "/channels/{channel_id}/messages/:id/reactions/:emoji/@me", Id(channelId)),
            ct);

    public Task DeleteMessageAsync(ulong channelId, ulong messageId, string? auditLogReason = null, CancellationToken ct = default)
    {
        // Deleting messages older than 14 days has its own, stricter bucket.
        var template = Snowflake.Age(messageId) > TimeSpan.FromDays(14) ? MessageTemplate + "/old" : MessageTemplate;
        return SendAsync(
            Request(HttpMethod.Delete, $"/channels/{Id(channelId)}/messages/{Id(messageId)}", template, Id(channelId))
                with { AuditLogReason = auditLogReason },
            ct);
    }

    private static CreateMessageRequest WithNonce(CreateMessageRequest request) => request with
    {
        Nonce = request.Nonce ?? Guid.NewGuid().ToString("N")[..25],
        EnforceNonce = true,
    };

    private static AttachmentSlot[] Slots(IReadOnlyList<FileUpload> files) =>
        files.Select((f, i) => new AttachmentSlot(i, f.FileName)).ToArray();

    internal static MultipartFormDataContent Multipart(object payload, IReadOnlyList<FileUpload> files)
    {
        var form = new MultipartFormDataContent();
        var json = new StringContent(JsonSerializer.Serialize(payload, payload.GetType(), DiscordJson.Options), Encoding.UTF8);
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(json, "payload_json");
        for (var i = 0; i < files.Count; i++)
        {
            var file = new ReadOnlyMemoryContent(files[i].Content);
            file.Headers.ContentType = new MediaTypeHeaderValue(files[i].ContentType);
            form.Add(file, $"files[{i}]", files[i].FileName);
        }

        return form;
    }
}
