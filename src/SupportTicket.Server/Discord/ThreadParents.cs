using System.Collections.Concurrent;
using SupportTicket.Discord.Rest;

namespace SupportTicket.Server.Discord;

// Remembers which channels are threads and of which parent (one GET per channel ever), so notes in a thread find their
// ticket.
public sealed class ThreadParents
{
    private readonly ConcurrentDictionary<ulong, ulong> _parents = new();

    public void Remember(ulong threadId, ulong parentId) => _parents[threadId] = parentId;

    public async Task<ulong?> ParentOfAsync(ulong channelId, DiscordRestClient rest, CancellationToken ct)
    {
        if (_parents.TryGetValue(channelId, out var known)) return known == 0 ? null : known;
        ulong parent = 0;
        try
        {
            var channel = await rest.GetChannelAsync(channelId, ct);
            if (channel.Type is 10 or 11 or 12 && channel.ParentId is { } p) parent = p; // announcement, public and private threads
        }
        catch (DiscordRestException)
        {
            // Not visible to the bot: certainly not a ticket's thread.
        }
        _parents[channelId] = parent;
        return parent == 0 ? null : parent;
    }
}
