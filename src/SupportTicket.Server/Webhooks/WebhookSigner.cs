using System.Security.Cryptography;
using System.Text;

namespace SupportTicket.Server.Webhooks;

/// <summary>
/// <c>ST-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, one v1 per valid
/// secret (two during a rotation's overlap). The key is the secret string's UTF-8 bytes.
/// </summary>
public static class WebhookSigner
{
    public const string Header = "ST-Signature";

    public static string Sign(byte[] body, long timestamp, IEnumerable<string> secrets)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        var sb = new StringBuilder("t=").Append(timestamp);
        foreach (var secret in secrets)
            sb.Append(",v1=").Append(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        return sb.ToString();
    }

    /// <summary>The secrets that sign now: the current one, and the previous one while its overlap lasts.</summary>
    public static IEnumerable<string> ValidSecrets(WebhookEndpoint endpoint, long nowSeconds)
    {
        yield return endpoint.Secret;
        if (endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretExpiresAt > nowSeconds) yield return previous;
    }

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes, base64url.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
