using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Hosting;
using SupportTicket.Server.RateLimiting;

namespace SupportTicket.Server.Tests.RateLimiting;

public sealed class RatePolicyCheckTests
{
    [Fact]
    public async Task An_endpoint_named_after_a_policy_that_does_not_exist_fails_the_start_with_one_line()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(TimeProvider.System).AddRateLimits();
        await using var app = builder.Build();
        app.MapGet("/known", () => "ok").WithRateLimits().WithName(RatePolicies.GetTicket);
        app.MapGet("/unknown", () => "ok").WithRateLimits().WithName("NoSuchPolicy");

        var failure = Assert.Throws<ConfigurationException>(() => app.CheckRatePolicies());

        Assert.Equal("No rate-limit policy named NoSuchPolicy (used by an endpoint's WithName): add it to RatePolicies and RatePolicies.Defaults",
            StartupFailure.Describe(failure));
    }

    [Fact]
    public async Task Endpoints_whose_policies_exist_start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(TimeProvider.System).AddRateLimits();
        await using var app = builder.Build();
        app.MapGet("/known", () => "ok").WithRateLimits().WithName(RatePolicies.GetTicket);

        app.CheckRatePolicies();
    }
}
