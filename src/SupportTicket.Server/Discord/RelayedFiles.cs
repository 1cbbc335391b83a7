using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SupportTicket.Discord.Models;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

/// <summary>
/// Files uploaded through the API go to Discord with their message, as real attachments: the links in the text are
/// signed-link-only, so agents could not open them. Found by the ids in the message's links, not by the file's
/// message id: the outbox may run before the post has tied its files to the message.
/// </summary>
internal static partial class RelayedFiles
{
    [GeneratedRegex("/api/v1/attachments/([0-9a-f]{32})/")]
    private static partial Regex FileLink();

    /// <summary>Up to <paramref name="maxTotal"/> bytes in all (Discord's limit per request); the rest stay links.</summary>
    public static async Task<List<FileUpload>> LoadAsync(AppDbContext db, Message message, long maxTotal, CancellationToken ct)
    {
        var ids = message.ToFullDto().Attachments.Select(a => FileLink().Match(a)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        if (ids.Count == 0) return [];
        var files = await db.Attachments.Where(a => ids.Contains(a.Id) && a.TicketId == message.TicketId && a.UploadedBy != null).ToListAsync(ct);
        var uploads = new List<FileUpload>();
        long total = 0;
        foreach (var file in files.OrderBy(f => ids.IndexOf(f.Id)))
        {
            if (total + file.Size > maxTotal) continue;
            var data = new byte[file.Size];
            var offset = 0;
            foreach (var chunk in await db.AttachmentChunks.Where(c => c.AttachmentId == file.Id).OrderBy(c => c.Seq).Select(c => c.Data).ToListAsync(ct))
            {
                chunk.CopyTo(data, offset);
                offset += chunk.Length;
            }
            uploads.Add(new FileUpload(file.FileName, data, file.ContentType));
            total += file.Size;
        }
        return uploads;
    }
}
