using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Attachments;

public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>Largest upload; Discord's own limit for a bot's file, so a relayed file always fits.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Bytes one user may have stored across all tickets (uploads only).</summary>
    public long MaxBytesPerUser { get; set; } = 200L * 1024 * 1024;

    /// <summary>Bytes stored on one ticket by all its uploaders.</summary>
    public long MaxBytesPerTicket { get; set; } = 100L * 1024 * 1024;

    /// <summary>An image is decoded to re-encode it; this bounds the memory that takes (4 bytes a pixel).</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>How long a signed link works.</summary>
    public int LinkLifetimeSeconds { get; set; } = 900;

    /// <summary>Key of the link signatures; several nodes need the same one. Unset: a random key per process.</summary>
    public string? LinkSigningKey { get; set; }
}

internal sealed class AttachmentOptionsValidator : IValidateOptions<AttachmentOptions>
{
    public ValidateOptionsResult Validate(string? name, AttachmentOptions o) =>
        Problem(o) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    private static string? Problem(AttachmentOptions o)
    {
        if (o.MaxBytes is < 1024 or > 100L * 1024 * 1024) return "Attachments:MaxBytes must be between 1024 and 104857600";
        if (o.MaxBytesPerUser < o.MaxBytes) return "Attachments:MaxBytesPerUser must be at least Attachments:MaxBytes";
        if (o.MaxBytesPerTicket < o.MaxBytes) return "Attachments:MaxBytesPerTicket must be at least Attachments:MaxBytes";
        if (o.MaxImagePixels is < 1_000_000 or > 200_000_000) return "Attachments:MaxImagePixels must be between 1000000 and 200000000";
        if (o.LinkLifetimeSeconds is < 10 or > 7 * 24 * 3600) return "Attachments:LinkLifetimeSeconds must be between 10 and 604800";
        if (o.LinkSigningKey is { } key && System.Text.Encoding.UTF8.GetByteCount(key) < 32)
            return "Attachments:LinkSigningKey must be at least 32 bytes";
        return null;
    }
}
