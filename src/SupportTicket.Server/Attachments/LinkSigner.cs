using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.Attachments;

/// <summary>
/// Short-lived download links for uploaded files: an <c>&lt;img src&gt;</c> cannot carry a bearer token, so the link
/// itself proves that someone allowed to see the file asked for it, until it expires.
/// </summary>
public sealed class LinkSigner(IOptions<AttachmentOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = options.Value.LinkSigningKey is { } configured
        ? Encoding.UTF8.GetBytes(configured)
        : RandomNumberGenerator.GetBytes(32);

    public string Sign(string baseUrl, StoredAttachment file)
    {
        var expires = clock.GetUtcNow().ToUnixTimeSeconds() + options.Value.LinkLifetimeSeconds;
        return $"{baseUrl}/api/v1/attachments/{file.Id}/{Uri.EscapeDataString(file.FileName)}" +
               $"?expires={expires}&sig={Signature(file.Id, expires)}";
    }

    /// <summary>Null when the link is good; else why not.</summary>
    public string? Problem(string id, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var at) || signature is null)
            return "This file needs a signed link: ask the ticket's attachment for a fresh one";
        var expected = Encoding.ASCII.GetBytes(Signature(id, at));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return "The link's signature is not valid";
        return at < clock.GetUtcNow().ToUnixTimeSeconds() ? "The link has expired: ask the ticket's attachment for a fresh one" : null;
    }

    private string Signature(string id, long expires) =>
        Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id}.{expires}")));

    private static string Base64UrlEncode(byte[] data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
