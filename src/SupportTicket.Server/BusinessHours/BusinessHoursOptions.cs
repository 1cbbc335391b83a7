using System.Globalization;
using Microsoft.Extensions.Options;

namespace SupportTicket.Server.BusinessHours;

/// <summary>
/// BusinessHours:TimeZone (IANA), BusinessHours:Weekly:&lt;Day&gt; ("09:00-12:00,13:00-17:00"; a day not listed is
/// closed), BusinessHours:Holidays:&lt;n&gt; ("2026-12-25", closed all day). Without a time zone the team counts as
/// always open and SLAs count wall-clock minutes.
/// </summary>
public sealed class BusinessHoursOptions
{
    public const string Section = "BusinessHours";

    public string? TimeZone { get; set; }
    public Dictionary<string, string> Weekly { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> Holidays { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string OpenMessage { get; set; } = "We are online.";
    /// <summary>"{next_open}" is replaced by the next opening in the configured zone, e.g. "Mon 09:00".</summary>
    public string ClosedMessage { get; set; } = "We are away until {next_open}. We will answer then.";

    public bool Configured => !string.IsNullOrWhiteSpace(TimeZone);
}

/// <summary>The parsed schedule; a bad value is a finished sentence naming the setting.</summary>
public sealed record Schedule(TimeZoneInfo Zone, IReadOnlyDictionary<DayOfWeek, (TimeSpan Start, TimeSpan End)[]> Weekly, IReadOnlySet<DateOnly> Holidays)
{
    public static (Schedule? Schedule, string? Problem) Parse(BusinessHoursOptions o)
    {
        if (!o.Configured) return (null, null);
        if (!System.TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone!.Trim(), out var zone))
            return (null, $"BusinessHours:TimeZone '{o.TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin)");
        var weekly = new Dictionary<DayOfWeek, (TimeSpan, TimeSpan)[]>();
        foreach (var (key, value) in o.Weekly)
        {
            var setting = $"BusinessHours:Weekly:{key}";
            if (!Enum.TryParse<DayOfWeek>(key, ignoreCase: true, out var day) || int.TryParse(key, out _))
                return (null, $"{setting}: '{key}' is not a day of the week (Monday … Sunday)");
            var ranges = new List<(TimeSpan Start, TimeSpan End)>();
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var ends = part.Split('-', StringSplitOptions.TrimEntries);
                if (ends.Length != 2 || Time(ends[0]) is not { } start || Time(ends[1]) is not { } end || end <= start)
                    return (null, $"{setting} must be ranges like 09:00-17:00 (start before end, 24:00 at most), not '{part}'");
                ranges.Add((start, end));
            }
            ranges.Sort();
            for (var i = 1; i < ranges.Count; i++)
                if (ranges[i].Start < ranges[i - 1].End)
                    return (null, $"{setting}: the ranges overlap ({value})");
            weekly[day] = [.. ranges];
        }
        var holidays = new HashSet<DateOnly>();
        foreach (var (key, value) in o.Holidays)
        {
            if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return (null, $"BusinessHours:Holidays:{key} must be a date like 2026-12-25, not '{value}'");
            holidays.Add(date);
        }
        return (new Schedule(zone, weekly, holidays), null);
    }

    private static TimeSpan? Time(string text)
    {
        if (text == "24:00") return TimeSpan.FromHours(24);
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.ToTimeSpan() : null;
    }
}

internal sealed class BusinessHoursOptionsValidator : IValidateOptions<BusinessHoursOptions>
{
    public ValidateOptionsResult Validate(string? name, BusinessHoursOptions options)
    {
        if (!options.Configured && (options.Weekly.Count > 0 || options.Holidays.Count > 0))
            return ValidateOptionsResult.Fail("BusinessHours:TimeZone is required when BusinessHours:Weekly or BusinessHours:Holidays is set");
        return Schedule.Parse(options).Problem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
