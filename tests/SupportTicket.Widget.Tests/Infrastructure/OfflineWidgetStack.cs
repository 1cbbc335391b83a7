namespace SupportTicket.Widget.Tests.Infrastructure;

/// <summary>
/// A second stack whose team is outside business hours for the whole test run: open one hour a day, starting three
/// hours from now (UTC). Its lifecycle timers scan every second, so a warning a test makes due is posted at once.
/// </summary>
public sealed class OfflineWidgetStack : WidgetStack
{
    public OfflineWidgetStack()
    {
        var now = DateTimeOffset.UtcNow;
        var hour = (now.Hour + 3) % 24;
        var today = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        NextOpen = today.AddHours(hour) > now ? today.AddHours(hour) : today.AddDays(1).AddHours(hour);
        Hours = $"{hour:00}:00-{(hour == 23 ? "24" : (hour + 1).ToString("00"))}:00";
    }

    public DateTimeOffset NextOpen { get; }

    private string Hours { get; }

    protected override IReadOnlyDictionary<string, string?> ExtraServerSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusinessHours:TimeZone"] = "Etc/UTC",
            ["Lifecycle:ScanSeconds"] = "1",
        };
        foreach (var day in Enum.GetNames<DayOfWeek>())
        {
            settings[$"BusinessHours:Weekly:{day}"] = Hours;
        }

        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class OfflineWidgetStackCollection : ICollectionFixture<OfflineWidgetStack>
{
    public const string Name = "offline widget stack";
}
