using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Attachments;

public sealed record AttachmentDto(string Id, string Name, string ContentType, long Size, string Url);

/// <summary>
/// An upload goes to a temporary file (deleted on close) while it is counted against the limit, is recognised by its
/// bytes, re-encoded when it is an image, and then copied into chunk rows: no whole file is held in memory.
/// </summary>
public sealed class AttachmentUploads(
    AppDbContext db, TicketService tickets, LinkSigner signer, IOptions<AttachmentOptions> options, TimeProvider clock)
{
    public async Task<Result<AttachmentDto>> UploadAsync(CurrentUser user, string ticketId, HttpRequest request, CancellationToken ct)
    {
        var found = await tickets.FindVisibleAsync(user, ticketId, ct);
        if (!found.Ok) return found.Error;
        if (TicketAccess.IsClosed(found.Value)) return TicketAccess.Closed(ticketId);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return new ApiError(415, "BAD_REQUEST", "Content-Type must be multipart/form-data with one file");
        var limits = options.Value;
        if (await QuotaProblem(user, ticketId, 0, ct) is { } full) return full;

        await using var upload = TempFile();
        var reader = new MultipartReader(boundary, request.Body);
        string? declaredName = null;
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()) continue;
            if (declaredName is not null) return ApiError.BadRequest("Send one file per request");
            declaredName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
            if (!await CopyCapped(section.Body, upload, limits.MaxBytes, ct))
                return ApiError.TooLarge($"The file is larger than {limits.MaxBytes} bytes ({Mib(limits.MaxBytes)})");
        }
        if (declaredName is null) return ApiError.Invalid([new("file", "A file is required (multipart/form-data, field \"file\")", "required")]);
        if (upload.Length == 0) return ApiError.Invalid([new("file", "The file is empty", "required")]);

        upload.Position = 0;
        var head = new byte[FileTypes.HeadBytes];
        var headLength = await upload.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var kind = FileTypes.Sniff(head.AsSpan(0, headLength));
        upload.Position = 0;
        if (kind == FileTypes.Text && !await FileTypes.IsText(upload, ct)) kind = null;
        if (kind is null) return Unsupported();

        var stored = upload;
        await using var scrubbed = kind.Image && kind != FileTypes.Gif ? TempFile() : null;
        if (scrubbed is not null)
        {
            upload.Position = 0;
            var outcome = ImageScrubber.Reencode(upload, scrubbed, kind, limits.MaxImagePixels);
            if (outcome == ImageScrubber.Outcome.TooManyPixels)
                return ApiError.TooLarge($"The image has more than {limits.MaxImagePixels} pixels");
            if (outcome != ImageScrubber.Outcome.Done) return Unsupported();
            stored = scrubbed;
        }
        if (await QuotaProblem(user, ticketId, stored.Length, ct) is { } over) return over;

        stored.Position = 0;
        var file = await StoreAsync(ticketId, user.Id, FileTypes.SafeName(declaredName, kind), kind.ContentType, stored, ct);
        Metrics.ServerMetrics.AttachmentsUploaded.Add(1, new KeyValuePair<string, object?>("content_type", kind.ContentType));
        return ToDto(file, AttachmentLinks.BaseUrl(request));
    }

    public AttachmentDto ToDto(StoredAttachment file, string baseUrl) =>
        new(file.Id, file.FileName, file.ContentType, file.Size, signer.Sign(baseUrl, file));

    private static ApiError Unsupported() =>
        new(415, "BAD_REQUEST", $"This type of file is not accepted. Allowed: {FileTypes.Allowed}");

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MiB";

    private async Task<ApiError?> QuotaProblem(CurrentUser user, string ticketId, long adding, CancellationToken ct)
    {
        var o = options.Value;
        var mine = await db.Attachments.Where(a => a.UploadedBy == user.Id).SumAsync(a => (long?)a.Size, ct) ?? 0;
        if (mine + adding > o.MaxBytesPerUser || (adding == 0 && mine >= o.MaxBytesPerUser))
            return ApiError.TooLarge($"Upload quota reached: at most {Mib(o.MaxBytesPerUser)} of files per user");
        var onTicket = await db.Attachments.Where(a => a.TicketId == ticketId && a.UploadedBy != null).SumAsync(a => (long?)a.Size, ct) ?? 0;
        if (onTicket + adding > o.MaxBytesPerTicket || (adding == 0 && onTicket >= o.MaxBytesPerTicket))
            return ApiError.TooLarge($"Upload quota reached: at most {Mib(o.MaxBytesPerTicket)} of files per ticket");
        return null;
    }

    /// <summary>False when the source has more than <paramref name="max"/> bytes (reading stops right there).</summary>
    private static async Task<bool> CopyCapped(Stream source, Stream target, long max, CancellationToken ct)
    {
        var buffer = new byte[AttachmentStore.ChunkSize];
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            if (target.Length + read > max) return false;
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return true;
    }

    /// <summary>One transaction; each chunk is saved and let go before the next is read.</summary>
    private async Task<StoredAttachment> StoreAsync(string ticketId, string userId, string name, string contentType, Stream data, CancellationToken ct)
    {
        var file = AttachmentStore.Add(db, ticketId, name, contentType, [], clock.GetUtcNow().ToUnixTimeSeconds());
        file.UploadedBy = userId;
        file.Size = data.Length;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        var buffer = new byte[AttachmentStore.ChunkSize];
        for (var seq = 0; ; seq++)
        {
            var read = await data.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (read == 0) break;
            var chunk = new AttachmentChunk { AttachmentId = file.Id, Seq = seq, Data = buffer[..read] };
            db.AttachmentChunks.Add(chunk);
            await db.SaveChangesAsync(ct);
            db.Entry(chunk).State = EntityState.Detached;
        }
        await tx.CommitAsync(ct);
        return file;
    }

    private static FileStream TempFile() => new(Path.Combine(Path.GetTempPath(), $"st-upload-{Guid.NewGuid():N}"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}

public static class AttachmentLinks
{
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The stable link a message keeps; readers trade it for a signed one (GET …/attachments/{id}).</summary>
    public static string Permanent(string baseUrl, StoredAttachment file) =>
        $"{baseUrl}/api/v1/attachments/{file.Id}/{Uri.EscapeDataString(file.FileName)}";

    /// <summary>An upload's id, as a message's <c>attachments</c> names it: 32 lowercase hex digits.</summary>
    public static bool IsId(string? value) => value is { Length: 32 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
