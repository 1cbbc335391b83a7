using Microsoft.Extensions.Options;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Attachments;

// Attachment downloads running at once on this node, per client address and in total. A download costs a little memory
// and a database query per chunk for as long as the reader takes, so slow readers are bounded by count.
public sealed class DownloadSlots(IOptionsMonitor<RateLimitOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private int _total;

    public int MaxPerAddress => options.CurrentValue.Enabled ? options.CurrentValue.MaxAttachmentDownloadsPerAddress : 0;
    public int MaxTotal => options.CurrentValue.Enabled ? options.CurrentValue.MaxAttachmentDownloads : 0;

    public (IDisposable? Slot, string? Refusal, int Limit) TryEnter(string addressKey)
    {
        int perAddress = MaxPerAddress, total = MaxTotal;
        lock (_lock)
        {
            var mine = _perAddress.GetValueOrDefault(addressKey);
            if (perAddress > 0 && mine >= perAddress)
                return (null, $"Too many downloads: at most {perAddress} attachment downloads at once per address are allowed", perAddress);
            if (total > 0 && _total >= total)
                return (null, "Too many attachment downloads at once on this server: try again shortly", total);
            _perAddress[addressKey] = mine + 1;
            _total++;
        }
        return (new Slot(this, addressKey), null, 0);
    }

    private void Leave(string addressKey)
    {
        lock (_lock)
        {
            _total--;
            if (_perAddress.TryGetValue(addressKey, out var mine) && mine > 1) _perAddress[addressKey] = mine - 1;
            else _perAddress.Remove(addressKey);
        }
    }

    private sealed class Slot(DownloadSlots slots, string addressKey) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) slots.Leave(addressKey);
        }
    }
}
