using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Attachments;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

public sealed class AttachmentRehost(
    AppDbContext db, IHttpClientFactory http, IOptions<DiscordBotOptions> options, TimeProvider clock, ILogger<AttachmentRehost> logger)
{
    public const string HttpClientName = "discord-attachments";
    private const int MaxAttachments = 10;

    // Links for the attachments that could be kept, and their ids for LinkAsync; the names of those that could not, for
    // the message text. With keepTrying a download that fails in transit (reset, timeout, 5xx) throws, so the relay is
    // retried; on the last attempt the file is given up instead and the message goes through without it.
    public async Task<(List<string> Links, List<string> Ids, List<string> Skipped)> RehostAsync(
        string ticketId, IReadOnlyList<DiscordAttachment>? attachments, bool keepTrying, CancellationToken ct)
    {
        var links = new List<string>();
        var ids = new List<string>();
        var skipped = new List<string>();
        var baseUrl = options.Value.PublicBaseUrl?.TrimEnd('/');
        foreach (var a in (attachments ?? []).Take(MaxAttachments))
        {
            if (baseUrl is null || a.Url is null || a.Size > options.Value.MaxAttachmentBytes)
            {
                skipped.Add(a.Filename);
                continue;
            }
            var data = await DownloadAsync(a, keepTrying, ct);
            if (data is null)
            {
                skipped.Add(a.Filename);
                continue;
            }
            var stored = AttachmentStore.Add(db, ticketId, a.Filename, ContentTypeOf(a.Filename), data, clock.GetUtcNow().ToUnixTimeSeconds());
            ids.Add(stored.Id);
            links.Add($"{baseUrl}/api/v1/attachments/{stored.Id}/{Uri.EscapeDataString(a.Filename)}");
        }
        if (links.Count > 0) await db.SaveChangesAsync(ct);
        return (links, ids, skipped);
    }

    // Ties the files to the message that links to them, so deleting the message deletes them; without a message (the
    // post was refused) they are deleted now, as nothing can reach them.
    public async Task LinkAsync(IReadOnlyList<string> ids, string? messageId, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var files = db.Attachments.Where(a => ids.Contains(a.Id));
        try
        {
            if (messageId is not null && await files.ExecuteUpdateAsync(s => s.SetProperty(a => a.MessageId, messageId), ct) > 0) return;
        }
        catch (System.Data.Common.DbException)
        {
            // The message was deleted in the meantime (the foreign key refuses it): its files go with it.
        }
        await files.ExecuteDeleteAsync(ct);
    }

    private static string ContentTypeOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".txt" or ".log" => "text/plain",
        ".pdf" => "application/pdf",
        _ => "application/octet-stream",
    };

    private async Task<byte[]?> DownloadAsync(DiscordAttachment a, bool keepTrying, CancellationToken ct)
    {
        try
        {
            using var response = await http.CreateClient(HttpClientName).GetAsync(a.Url, HttpCompletionOption.ResponseHeadersRead, ct);
            // Gone or forbidden (an expired CDN link) stays so; anything else may pass on the next attempt.
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone) return null;
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > options.Value.MaxAttachmentBytes) return null;
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > options.Value.MaxAttachmentBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (!keepTrying && e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Attachment {FileName} could not be downloaded from Discord: {Error}", a.Filename, e.Message);
            return null;
        }
    }
}
