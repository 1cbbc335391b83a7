using System.Net.Http.Headers;
using SkiaSharp;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>Real files for upload tests: images drawn by Skia, one with an EXIF block naming a place.</summary>
internal static class UploadSamples
{
    public const string Secret = "GPS-48.8584N-2.2945E-SECRET";

    public static byte[] Png(int width = 40, int height = 30) => Draw(width, height, SKEncodedImageFormat.Png);

    /// <summary>A JPEG with an APP1 "Exif" segment right after the start marker, carrying <see cref="Secret"/>.</summary>
    public static byte[] JpegWithExif()
    {
        var jpeg = Draw(64, 48, SKEncodedImageFormat.Jpeg);
        var payload = "Exif\0\0"u8.ToArray().Concat(System.Text.Encoding.ASCII.GetBytes(Secret)).ToArray();
        var length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private static byte[] Draw(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.CornflowerBlue);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    public static MultipartFormDataContent Form(byte[] data, string fileName, string declaredType = "application/octet-stream")
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }
}
