using Microsoft.Extensions.Configuration;
using SupportTicket.Server.Lifecycle;

namespace SupportTicket.Server.Tests.Lifecycle;

public sealed class LifecycleOptionsTests
{
    private static T Bind<T>(Dictionary<string, string?> settings) where T : new()
    {
        var options = new T();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(options);
        return options;
    }

    [Theory]
    [InlineData("Levels:HUGE:FirstResponseMinutes", "10", "Sla:Levels:HUGE is not an issue level (NORMAL, URGENT, CRITICAL)")]
    [InlineData("Levels:URGENT:FirstResponseMinutes", "0", "Sla:Levels:URGENT:FirstResponseMinutes must be more than 0")]
    [InlineData("Levels:NORMAL:NextResponseMinutes", "-5", "Sla:Levels:NORMAL:NextResponseMinutes must be more than 0")]
    public void A_bad_sla_is_refused_naming_the_setting(string key, string value, string expected)
    {
        var result = new SlaOptionsValidator().Validate(null, Bind<SlaOptions>(new() { [key] = value }));
        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("AutoCloseAfterHours", "-1", "Lifecycle:AutoCloseAfterHours must be 0 (off) or more")]
    [InlineData("WarnBeforeHours", "72", "Lifecycle:WarnBeforeHours must be less than Lifecycle:AutoCloseAfterHours")]
    [InlineData("Levels:LOW:AutoCloseAfterHours", "10", "Lifecycle:Levels:LOW is not an issue level (NORMAL, URGENT, CRITICAL)")]
    [InlineData("CloseRequestHours", "0", "Lifecycle:CloseRequestHours must be at least 1")]
    public void A_bad_lifecycle_setting_is_refused_naming_it(string key, string value, string expected)
    {
        var result = new LifecycleOptionsValidator().Validate(null, Bind<LifecycleOptions>(new() { [key] = value }));
        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public async Task The_server_refuses_to_start_with_an_sla_for_an_unknown_level()
    {
        await Infrastructure.ServerProcess.AssertRefusesAsync(
            new() { ["Sla__Levels__HUGE__FirstResponseMinutes"] = "10" }, "Sla:Levels:HUGE");
    }
}
