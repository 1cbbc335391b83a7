using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SkiaSharp;
using SupportTicket.Server.Attachments;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

/// <summary>
/// Thumbnails of a ticket's stored images as <c>data:</c> URIs, by attachment id, for the transcript: its reader has
/// no token for the signed links, so only an embedded copy shows. The stored file's own bytes decide whether it is an
/// image (never its declared type), and only pixels decoded by Skia and encoded again are embedded.
/// </summary>
public sealed class TranscriptImages(AppDbContext db, IOptions<AttachmentOptions> options, ILogger<TranscriptImages> log)
{
    public const int MaxSide = 640;

    public async Task<IReadOnlyDictionary<string, string>> ThumbnailsAsync(string ticketId, CancellationToken ct)
    {
        var limits = options.Value;
        var files = await db.Attachments.AsNoTracking()
            .Where(a => a.TicketId == ticketId && a.MessageId != null && a.Size > 0 && a.Size <= limits.MaxBytes)
            .OrderBy(a => a.CreatedAt).ToListAsync(ct);
        var thumbnails = new Dictionary<string, string>();
        foreach (var file in files)
        {
            try
            {
                if (await ThumbnailAsync(file, limits.MaxImagePixels, ct) is { } uri) thumbnails[file.Id] = uri;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "No transcript thumbnail for attachment {Id}; it stays a link", file.Id);
            }
        }
        return thumbnails;
    }

    private async Task<string?> ThumbnailAsync(StoredAttachment file, long maxPixels, CancellationToken ct)
    {
        var source = new AttachmentReadStream(db, file);
        var head = new byte[FileTypes.HeadBytes];
        var headLength = await source.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (FileTypes.Sniff(head.AsSpan(0, headLength)) is not { Image: true }) return null;

        // Skia reads synchronously and the store only asynchronously: the file (at most Attachments:MaxBytes) goes
        // through a temporary file, chunk by chunk, never whole into memory.
        await using var copy = new FileStream(Path.Combine(Path.GetTempPath(), $"st-thumb-{Guid.NewGuid():N}"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        source.Position = 0;
        await source.CopyToAsync(copy, AttachmentStore.ChunkSize, ct);
        copy.Position = 0;
        var encoded = Shrink(copy, maxPixels);
        return encoded is null ? null : $"data:{encoded.Value.Type};base64,{Convert.ToBase64String(encoded.Value.Bytes)}";
    }

    /// <summary>The first frame at most <see cref="MaxSide"/> on its long side: JPEG when opaque, PNG otherwise.</summary>
    internal static (string Type, byte[] Bytes)? Shrink(Stream image, long maxPixels)
    {
        using var input = new SKManagedStream(image);
        using var codec = SKCodec.Create(input);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0) return null;
        var info = codec.Info;
        var scale = Math.Min(1f, (float)MaxSide / Math.Max(info.Width, info.Height));
        // JPEG and WebP decode straight to a smaller size; others are decoded whole, within the upload pixel limit.
        var decodeSize = codec.GetScaledDimensions(scale);
        if (decodeSize.Width < Math.Round(info.Width * scale) || decodeSize.Height < Math.Round(info.Height * scale)) decodeSize = info.Size;
        if ((long)decodeSize.Width * decodeSize.Height > maxPixels) return null;
        var opaque = info.AlphaType == SKAlphaType.Opaque;
        var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKImageInfo.PlatformColorType, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodeInfo);
        if (codec.GetPixels(decodeInfo, decoded.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return null;

        var target = new SKSizeI(Math.Max(1, (int)Math.Round(info.Width * scale)), Math.Max(1, (int)Math.Round(info.Height * scale)));
        using var small = target == decodeSize ? null : decoded.Resize(new SKImageInfo(target.Width, target.Height, decodeInfo.ColorType, decodeInfo.AlphaType),
            new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (small is null && target != decodeSize) return null;
        using var data = (small ?? decoded).Encode(opaque ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 80);
        return data is null ? null : (opaque ? "image/jpeg" : "image/png", data.ToArray());
    }
}
