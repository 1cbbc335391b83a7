using System.Text;

namespace SupportTicket.Server.Attachments;

/// <summary>The allow-list of upload types, recognised by their bytes; the declared type and the name count for nothing.</summary>
public static class FileTypes
{
    public sealed record Kind(string ContentType, string[] Extensions, bool Image);

    public static readonly Kind Png = new("image/png", [".png"], true);
    public static readonly Kind Jpeg = new("image/jpeg", [".jpg", ".jpeg"], true);
    public static readonly Kind Gif = new("image/gif", [".gif"], true);
    public static readonly Kind WebP = new("image/webp", [".webp"], true);
    public static readonly Kind Pdf = new("application/pdf", [".pdf"], false);
    public static readonly Kind Zip = new("application/zip", [".zip"], false);
    public static readonly Kind Text = new("text/plain", [".txt", ".log"], false);

    public const string Allowed = "PNG, JPEG, GIF or WebP images, PDF, plain text or log files, ZIP archives";

    /// <summary>Enough of the head to tell the types apart, and to look at the start of a text.</summary>
    public const int HeadBytes = 16;

    /// <summary>The kind of the file whose first bytes are <paramref name="head"/>; text is confirmed over the whole file by <see cref="IsText"/>.</summary>
    public static Kind? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return WebP;
        if (head.StartsWith("%PDF-"u8)) return Pdf;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]) || head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x05, 0x06])) return Zip;
        return Text;
    }

    /// <summary>
    /// UTF-8 without NULs or other control characters (tabs, line ends and ANSI colour escapes of logs aside), and not
    /// markup: HTML or SVG dressed as text is refused rather than stored.
    /// </summary>
    public static async Task<bool> IsText(Stream file, CancellationToken ct)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[bytes.Length + 4];
        var first = true;
        int read;
        try
        {
            while ((read = await file.ReadAsync(bytes, ct)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                var text = chars.AsSpan(0, count);
                if (first)
                {
                    var start = text.TrimStart('\uFEFF').TrimStart();
                    if (start.Length > 0 && start[0] == '<') return false;
                    first = start.Length == 0;
                }
                foreach (var c in text)
                    if (c < ' ' && c is not ('\t' or '\n' or '\r' or '\f' or '\x1b')) return false;
            }
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// A name safe to store and to offer as a download: no path, no control or shell characters, at most 100
    /// characters, and ending in an extension of its real type (so "invoice.pdf.exe" that is a PDF becomes "invoice.pdf.exe.pdf").
    /// </summary>
    public static string SafeName(string? declared, Kind kind)
    {
        var name = (declared ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
            clean.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ' ' or '(' or ')' ? c : '_');
        var safe = clean.ToString().Trim().Trim('.', ' ');
        var extension = Path.GetExtension(safe).ToLowerInvariant();
        if (!kind.Extensions.Contains(extension))
        {
            safe = (safe.Length == 0 ? "file" : safe) + kind.Extensions[0];
            extension = kind.Extensions[0];
        }
        if (safe.Length > 100) safe = safe[..(100 - extension.Length)].TrimEnd('.', ' ') + extension;
        return safe.Length == extension.Length ? "file" + extension : safe;
    }
}
