using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Email;

/// <summary>
/// Signs the per-ticket reply addresses and the unsubscribe links. The key is random, made once and kept in
/// <c>email_settings</c>, so every node signs alike and nothing needs configuring.
/// </summary>
public sealed class EmailSigner(IServiceScopeFactory scopes, IOptions<EmailOptions> options)
{
    private const string KeyName = "signing_key";
    private byte[]? _key;

    public async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (_key is { } known) return known;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // Whichever node writes first wins; everyone reads that one back.
        await db.Database.ExecuteSqlAsync($"INSERT INTO email_settings (name, value) VALUES ({KeyName}, {fresh}) ON CONFLICT (name) DO NOTHING", ct);
        var stored = await db.EmailSettings.Where(s => s.Name == KeyName).Select(s => s.Value).SingleAsync(ct);
        return _key = Convert.FromHexString(stored);
    }

    public async Task<string> SignAsync(string purpose, string value, int hexLength, CancellationToken ct) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(await KeyAsync(ct), Encoding.UTF8.GetBytes($"{purpose}:{value}")))[..hexLength];

    public async Task<bool> VerifyAsync(string purpose, string value, string? signature, int hexLength, CancellationToken ct) =>
        signature is not null && signature.Length == hexLength
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(await SignAsync(purpose, value, hexLength, ct)), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));

    /// <summary><c>support+&lt;ticket&gt;.&lt;signature&gt;@domain</c>, or null when no reply address is configured.</summary>
    public async Task<MailboxAddress?> ReplyAddressAsync(string ticketId, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(options.Value.ReplyAddress, out var reply)) return null;
        var sig = await SignAsync("reply", ticketId, ReplySignatureLength, ct);
        return new MailboxAddress(reply.Name, $"{reply.LocalPart}+{ticketId}.{sig}@{reply.Domain}");
    }

    public const int ReplySignatureLength = 16;
    public const int UnsubscribeSignatureLength = 32;

    public async Task<string> UnsubscribeUrlAsync(string userId, CancellationToken ct) =>
        $"{options.Value.PublicBaseUrl!.TrimEnd('/')}/api/v1/email/unsubscribe?u={Uri.EscapeDataString(userId)}" +
        $"&s={await SignAsync("unsubscribe", userId, UnsubscribeSignatureLength, ct)}";
}
