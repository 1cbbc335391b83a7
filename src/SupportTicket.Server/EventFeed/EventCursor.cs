using System.Globalization;

namespace SupportTicket.Server.EventFeed;

/// <summary>
/// A position in the feed: (writing transaction id, row id), written <c>"{xid}-{id}"</c>. Opaque to integrators;
/// the order it stands for is commit order on both stores (see <see cref="EventFeedQuery"/>).
/// </summary>
public readonly record struct EventCursor(long Xid, long Id)
{
    /// <summary>Before every event: ids start at 1, PostgreSQL transaction ids above 0.</summary>
    public static readonly EventCursor Start = new(0, 0);

    public static bool TryParse(string? text, out EventCursor cursor)
    {
        cursor = Start;
        if (string.IsNullOrEmpty(text)) return true;
        var dash = text.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var xid)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        cursor = new EventCursor(xid, id);
        return true;
    }

    public static EventCursor Of(EventRow e) => new(e.Xid, e.Id);

    public override string ToString() => FormattableString.Invariant($"{Xid}-{Id}");
}
