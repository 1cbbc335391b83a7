using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.BusinessHours;

public sealed class BerlinStatusApp() : FakeClockApp(new Dictionary<string, string?>
{
    ["BusinessHours:TimeZone"] = "Europe/Berlin",
    ["BusinessHours:Weekly:Monday"] = "09:00-17:00",
    ["BusinessHours:Weekly:Friday"] = "09:00-17:00",
    ["BusinessHours:ClosedMessage"] = "Back {next_open}",
});

/// <summary>
/// The public status across the DST changes of the configured zone, through the server on a fake clock: Europe/Berlin
/// moves to CEST on Sunday 2027-03-28 and back to CET on Sunday 2027-10-31, so "Monday 09:00" is 07:00 UTC after the
/// spring change and 08:00 UTC after the autumn one. Each test has its own app: the fake clock only moves forward.
/// </summary>
public sealed class StatusDstTests : IDisposable
{
    private readonly BerlinStatusApp _app = new();

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<System.Text.Json.JsonElement> StatusAt(string utc)
    {
        _app.Clock.SetUtcNow(Utc(utc));
        return await (await _app.Anonymous().GetAsync("/api/v1/status")).Body();
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_spring_forward_weekend_reopens_at_nine_summer_time()
    {
        var saturday = await StatusAt("2027-03-27T12:00:00"); // 13:00 CET, the day before the change
        Assert.False(saturday.GetProperty("open").GetBoolean());
        Assert.Equal(Utc("2027-03-29T07:00:00").ToUnixTimeSeconds(), saturday.GetProperty("next_open_at").GetInt64());
        Assert.Equal("Back Mon 09:00", saturday.Str("message"));
        Assert.False((await StatusAt("2027-03-29T06:59:00")).GetProperty("open").GetBoolean()); // 08:59 CEST
        Assert.True((await StatusAt("2027-03-29T07:00:00")).GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task An_autumn_weekend_reopens_at_nine_winter_time()
    {
        var saturday = await StatusAt("2027-10-30T12:00:00"); // 14:00 CEST, the day before the change
        Assert.False(saturday.GetProperty("open").GetBoolean());
        Assert.Equal(Utc("2027-11-01T08:00:00").ToUnixTimeSeconds(), saturday.GetProperty("next_open_at").GetInt64());
        Assert.Equal("Back Mon 09:00", saturday.Str("message"));
        Assert.False((await StatusAt("2027-11-01T07:30:00")).GetProperty("open").GetBoolean()); // 08:30 CET
        Assert.True((await StatusAt("2027-11-01T08:00:00")).GetProperty("open").GetBoolean());
    }
}
