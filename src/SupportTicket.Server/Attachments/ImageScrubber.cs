using SkiaSharp;

namespace SupportTicket.Server.Attachments;

/// <summary>
/// Re-encodes PNG, JPEG and WebP so nothing but the pixels survives: EXIF (camera, location), XMP and comments are
/// not carried over. The EXIF orientation is applied first, so a phone photo still stands the right way up. GIF is
/// kept as uploaded: Skia cannot write GIF, and GIF has no EXIF block.
/// </summary>
public static class ImageScrubber
{
    public enum Outcome { Done, Undecodable, TooManyPixels }

    public static Outcome Reencode(Stream source, Stream target, FileTypes.Kind kind, long maxPixels)
    {
        using var input = new SKManagedStream(source);
        using var codec = SKCodec.Create(input);
        if (codec is null) return Outcome.Undecodable;
        var info = codec.Info;
        if ((long)info.Width * info.Height > maxPixels)
        {
            // JPEG and WebP decode straight to a smaller size; a PNG that large is refused rather than held in memory.
            var scaled = codec.GetScaledDimensions((float)Math.Sqrt((double)maxPixels / ((long)info.Width * info.Height)));
            if ((long)scaled.Width * scaled.Height > maxPixels) return Outcome.TooManyPixels;
            info = info.WithSize(scaled);
        }
        info = info.WithColorType(SKImageInfo.PlatformColorType).WithAlphaType(info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return Outcome.Undecodable;
        using var turned = codec.EncodedOrigin == SKEncodedOrigin.TopLeft ? null : Orient(decoded, codec.EncodedOrigin);
        var (format, quality) = kind == FileTypes.Png ? (SKEncodedImageFormat.Png, 100)
            : kind == FileTypes.WebP ? (SKEncodedImageFormat.Webp, 90) : (SKEncodedImageFormat.Jpeg, 90);
        using var output = new SKManagedWStream(target);
        return (turned ?? decoded).Encode(output, format, quality) ? Outcome.Done : Outcome.Undecodable;
    }

    private static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var rotated = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height, bitmap.ColorType, bitmap.AlphaType);
        using var canvas = new SKCanvas(rotated);
        float w = bitmap.Width, h = bitmap.Height;
        canvas.SetMatrix(origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        });
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return rotated;
    }
}
