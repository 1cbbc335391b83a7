using SkiaSharp;

namespace SupportTicket.Widget.Tests.Infrastructure;

/// <summary>Files a customer would send, made on the spot.</summary>
internal static class TestFiles
{
    /// <summary>A small screenshot-like PNG.</summary>
    public static byte[] Screenshot(int width = 320, int height = 200)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.IndianRed };
            canvas.DrawRect(20, 20, width - 40, 40, paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>JavaScript that turns base64 into a File inside the page.</summary>
    public const string MakeFile = "([b64, name, type]) => new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, { type })";
}
