using Microsoft.Extensions.Options;

namespace SupportTicket.Server.BusinessHours;

/// <summary>
/// Business-hours arithmetic on instants. Each day's ranges are wall-clock times in the configured zone, turned
/// into instants day by day, so a DST change only makes that day's ranges shorter or longer. Without a schedule the
/// team is always open and minutes are wall-clock minutes.
/// </summary>
public sealed class BusinessCalendar
{
    // A year ahead covers any holiday list; a schedule without any hours ends the search there.
    private const int SearchDays = 400;
    private readonly Schedule? _schedule;

    public BusinessCalendar(IOptions<BusinessHoursOptions> options) : this(Schedule.Parse(options.Value).Schedule) { }

    public BusinessCalendar(Schedule? schedule) => _schedule = schedule;

    public bool Configured => _schedule is not null;

    public bool IsOpen(DateTimeOffset at)
    {
        if (_schedule is null) return true;
        foreach (var (start, end) in Ranges(at))
        {
            if (start > at) return false;
            if (at < end) return true;
        }
        return false;
    }

    /// <summary><paramref name="at"/> itself when open; null when the schedule has no hours within a year.</summary>
    public DateTimeOffset? NextOpen(DateTimeOffset at)
    {
        if (_schedule is null) return at;
        foreach (var (start, end) in Ranges(at))
            if (end > at) return start > at ? start : at;
        return null;
    }

    /// <summary>The next instant after <paramref name="at"/> at which <see cref="IsOpen"/> changes.</summary>
    public DateTimeOffset? NextChange(DateTimeOffset at)
    {
        if (_schedule is null) return null;
        foreach (var (start, end) in Ranges(at))
        {
            if (start > at) return start;
            if (end > at) return end;
        }
        return null;
    }

    /// <summary>The instant at which <paramref name="minutes"/> of open time have passed since <paramref name="start"/>.</summary>
    public DateTimeOffset AddBusinessMinutes(DateTimeOffset start, int minutes)
    {
        var left = TimeSpan.FromMinutes(minutes);
        if (_schedule is null || left <= TimeSpan.Zero) return start + left;
        foreach (var (from, to) in Ranges(start))
        {
            if (to <= start) continue;
            var begin = from > start ? from : start;
            if (to - begin >= left) return begin + left;
            left -= to - begin;
        }
        return DateTimeOffset.MaxValue;
    }

    /// <summary>Open time between two instants (wall-clock time without a schedule): response times in business hours.</summary>
    public TimeSpan OpenTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) return TimeSpan.Zero;
        if (_schedule is null) return to - from;
        var total = TimeSpan.Zero;
        foreach (var (start, end) in Ranges(from))
        {
            if (start >= to) break;
            var (a, b) = (start > from ? start : from, end < to ? end : to);
            if (b > a) total += b - a;
        }
        return total;
    }

    /// <summary>Open ranges in time order, from the day before <paramref name="at"/>'s local day on.</summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Ranges(DateTimeOffset at)
    {
        var s = _schedule!;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, s.Zone).DateTime).AddDays(-1);
        for (var i = 0; i < SearchDays; i++, day = day.AddDays(1))
        {
            if (s.Holidays.Contains(day) || !s.Weekly.TryGetValue(day.DayOfWeek, out var ranges)) continue;
            foreach (var (start, end) in ranges)
            {
                var (from, to) = (Instant(s.Zone, day, start), Instant(s.Zone, day, end));
                if (to > from) yield return (from, to);
            }
        }
    }

    /// <summary>
    /// A wall-clock time of a day as an instant: a time skipped by a DST jump counts as the jump's end, a repeated
    /// time as its first occurrence.
    /// </summary>
    private static DateTimeOffset Instant(TimeZoneInfo zone, DateOnly day, TimeSpan time)
    {
        var local = day.ToDateTime(TimeOnly.MinValue) + time;
        if (zone.IsInvalidTime(local)) return FirstValid(zone, local);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }

    private static DateTimeOffset FirstValid(TimeZoneInfo zone, DateTime local)
    {
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(local - zone.GetUtcOffset(local), TimeSpan.Zero);
    }
}
