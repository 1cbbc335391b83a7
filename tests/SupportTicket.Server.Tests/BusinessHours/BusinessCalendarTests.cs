using Microsoft.Extensions.Configuration;
using SupportTicket.Server.BusinessHours;

namespace SupportTicket.Server.Tests.BusinessHours;

/// <summary>Europe/Berlin, Monday to Friday 09:00-17:00: DST began 2026-03-29 (Sunday) and ends 2026-10-25 (Sunday).</summary>
public sealed class BusinessCalendarTests
{
    internal static BusinessHoursOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new BusinessHoursOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(options);
        return options;
    }

    internal static Dictionary<string, string?> Weekdays(string hours = "09:00-17:00") => new()
    {
        ["TimeZone"] = "Europe/Berlin",
        ["Weekly:Monday"] = hours, ["Weekly:Tuesday"] = hours, ["Weekly:Wednesday"] = hours,
        ["Weekly:Thursday"] = hours, ["Weekly:Friday"] = hours,
    };

    private static BusinessCalendar Calendar(Dictionary<string, string?>? settings = null) =>
        new(Schedule.Parse(Bind(settings ?? Weekdays())).Schedule);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Open_and_closed_follow_the_local_hours_in_winter_and_summer()
    {
        var calendar = Calendar();
        Assert.True(calendar.IsOpen(Utc("2026-01-05T08:00:00")));   // Monday 09:00 CET
        Assert.False(calendar.IsOpen(Utc("2026-01-05T07:59:59")));
        Assert.False(calendar.IsOpen(Utc("2026-01-05T16:00:00")));  // 17:00 CET: closed
        Assert.True(calendar.IsOpen(Utc("2026-07-06T07:00:00")));   // Monday 09:00 CEST
        Assert.False(calendar.IsOpen(Utc("2026-07-06T06:59:00")));
        Assert.False(calendar.IsOpen(Utc("2026-01-10T12:00:00")));  // Saturday
    }

    [Fact]
    public void Next_open_after_friday_evening_is_monday_morning()
    {
        var calendar = Calendar();
        Assert.Equal(Utc("2026-01-12T08:00:00"), calendar.NextOpen(Utc("2026-01-09T17:30:00")));
        Assert.Equal(Utc("2026-01-09T10:00:00"), calendar.NextOpen(Utc("2026-01-09T10:00:00")));
    }

    [Fact]
    public void Minutes_carry_over_a_weekend()
    {
        // Friday 16:00 CET + 120 business minutes = 60 on Friday, 60 on Monday: Monday 10:00 CET.
        Assert.Equal(Utc("2026-01-12T09:00:00"), Calendar().AddBusinessMinutes(Utc("2026-01-09T15:00:00"), 120));
    }

    [Fact]
    public void Minutes_carry_over_a_weekend_with_the_spring_dst_change()
    {
        // Friday 2026-03-27 16:00 CET (15:00 UTC) + 120: Monday 2026-03-30 10:00 CEST = 08:00 UTC, not 09:00.
        Assert.Equal(Utc("2026-03-30T08:00:00"), Calendar().AddBusinessMinutes(Utc("2026-03-27T15:00:00"), 120));
        Assert.Equal(Utc("2026-03-30T07:00:00"), Calendar().NextOpen(Utc("2026-03-28T12:00:00")));
    }

    [Fact]
    public void Minutes_on_the_autumn_dst_day_count_the_repeated_hour_once_as_open_time()
    {
        // Open every day 00:00-24:00 in Berlin: 2026-10-25 has 25 hours. From its local midnight (22:00 UTC the day
        // before) 24 * 60 business minutes end at 23:00 local the same day, i.e. 22:00 UTC.
        var always = new Dictionary<string, string?> { ["TimeZone"] = "Europe/Berlin", ["Weekly:Sunday"] = "00:00-24:00" };
        var calendar = Calendar(always);
        Assert.Equal(Utc("2026-10-25T22:00:00"), calendar.AddBusinessMinutes(Utc("2026-10-24T22:00:00"), 24 * 60));
        Assert.True(calendar.IsOpen(Utc("2026-10-25T00:30:00"))); // 02:30 CEST, the first of the two
        Assert.True(calendar.IsOpen(Utc("2026-10-25T01:30:00"))); // 02:30 CET, the second
    }

    [Fact]
    public void A_holiday_is_closed_all_day()
    {
        var settings = Weekdays();
        settings["Holidays:0"] = "2026-12-25"; // a Friday
        var calendar = Calendar(settings);
        Assert.False(calendar.IsOpen(Utc("2026-12-25T10:00:00")));
        Assert.Equal(Utc("2026-12-28T08:00:00"), calendar.NextOpen(Utc("2026-12-24T17:00:00")));
    }

    [Fact]
    public void Without_a_schedule_the_team_is_always_open_and_minutes_are_wall_clock()
    {
        var calendar = new BusinessCalendar((Schedule?)null);
        Assert.True(calendar.IsOpen(Utc("2026-01-10T03:00:00")));
        Assert.Equal(Utc("2026-01-10T05:00:00"), calendar.AddBusinessMinutes(Utc("2026-01-10T03:00:00"), 120));
    }

    [Theory]
    [InlineData("TimeZone", "Mars/Olympus", "BusinessHours:TimeZone 'Mars/Olympus' is not a known IANA time zone (e.g. Europe/Berlin)")]
    [InlineData("Weekly:Monday", "09:00-12:00,11:00-17:00", "BusinessHours:Weekly:Monday: the ranges overlap (09:00-12:00,11:00-17:00)")]
    [InlineData("Weekly:Monday", "17:00-09:00", "BusinessHours:Weekly:Monday must be ranges like 09:00-17:00 (start before end, 24:00 at most), not '17:00-09:00'")]
    [InlineData("Weekly:Monday", "9-5", "BusinessHours:Weekly:Monday must be ranges like 09:00-17:00 (start before end, 24:00 at most), not '9-5'")]
    [InlineData("Weekly:Funday", "09:00-17:00", "BusinessHours:Weekly:Funday: 'Funday' is not a day of the week (Monday … Sunday)")]
    [InlineData("Holidays:0", "25.12.2026", "BusinessHours:Holidays:0 must be a date like 2026-12-25, not '25.12.2026'")]
    public void A_bad_schedule_is_refused_with_one_line_naming_the_setting(string key, string value, string expected)
    {
        var settings = Weekdays();
        settings[key] = value;
        var result = new BusinessHoursOptionsValidator().Validate(null, Bind(settings));
        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public async Task The_server_refuses_to_start_with_an_unknown_time_zone()
    {
        await Infrastructure.ServerProcess.AssertRefusesAsync(
            new() { ["BusinessHours__TimeZone"] = "Mars/Olympus" }, "BusinessHours:TimeZone");
    }
}
