using System.Security.Cryptography;
using System.Text;
using SupportTicket.Server.Auth;

namespace SupportTicket.Server.Cluster;

// HMAC-SHA256 over the channel name and the body, keyed with a secret every node shares, so a client that can merely
// publish to Redis cannot inject events; the channel name keeps two deployments on one Redis from replaying each
// other's. Key: CLUSTER_RELAY_SECRET, else HKDF of JWT_SECRET_KEY. Wire: 32 bytes of MAC, then the body.
internal sealed class RelaySigner
{
    public const int MacBytes = 32;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("SupportTicket cluster event relay v1");

    private readonly byte[] _key;
    private readonly byte[] _channel;

    public RelaySigner(byte[] key, string channel)
    {
        _key = key;
        _channel = Encoding.UTF8.GetBytes(channel + "\n");
    }

    public static byte[] Key(ClusterOptions options, SigningKeys keys) =>
        !string.IsNullOrWhiteSpace(options.RelaySecret)
            ? Encoding.UTF8.GetBytes(options.RelaySecret.Trim())
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.DefaultKey.Key, MacBytes, salt: [], info: Purpose);

    public byte[] Sign(byte[] body)
    {
        var wire = new byte[MacBytes + body.Length];
        Mac(body, wire.AsSpan(0, MacBytes));
        body.CopyTo(wire, MacBytes);
        return wire;
    }

    public ReadOnlyMemory<byte>? Open(byte[]? wire)
    {
        if (wire is null || wire.Length <= MacBytes) return null;
        Span<byte> expected = stackalloc byte[MacBytes];
        var body = wire.AsMemory(MacBytes);
        Mac(body.Span, expected);
        return CryptographicOperations.FixedTimeEquals(expected, wire.AsSpan(0, MacBytes)) ? body : null;
    }

    private void Mac(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(_channel);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}

// Drops genuine but replayed relay messages: each sender numbers its messages and stamps them; a number not above the
// last seen from that sender, or a stamp more than MaxAge away, is dropped (Redis keeps one publisher's order).
internal sealed class RelayReplayGuard
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (long Counter, long SeenAtMs)> _last = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _prunedAtMs;

    public string? Admit(string instance, long counter, long sentAtMs, long nowMs)
    {
        if (Math.Abs(nowMs - sentAtMs) > (long)MaxAge.TotalMilliseconds) return "stale";
        lock (_lock)
        {
            if (_last.TryGetValue(instance, out var last) && counter <= last.Counter) return "replayed";
            _last[instance] = (counter, nowMs);
            // A sender silent for twice the window can only be replayed stale: forget it, so restarts do not pile up.
            if (nowMs - _prunedAtMs > (long)MaxAge.TotalMilliseconds)
            {
                _prunedAtMs = nowMs;
                foreach (var (key, value) in _last)
                    if (nowMs - value.SeenAtMs > 2 * (long)MaxAge.TotalMilliseconds) _last.Remove(key);
            }
            return null;
        }
    }
}
