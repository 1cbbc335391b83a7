using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.RateLimiting.RateLimitAssertions;

namespace SupportTicket.Server.Tests.RateLimiting;

public sealed class RateLimitWindowTests(TunedLimitsApp app) : IClassFixture<TunedLimitsApp>
{
    [Fact]
    public async Task A_limited_user_is_let_in_again_once_the_window_has_passed()
    {
        // Another user's call first, so the endpoint's first-call warm-up does not eat into this 2 s window.
        await app.ClientFor(Unique.Customer()).GetAsync("/api/v1/tickets");
        var client = app.ClientFor(Unique.Customer());
        await client.GetAsync("/api/v1/tickets");
        await client.GetAsync("/api/v1/tickets");
        var blocked = await client.GetAsync("/api/v1/tickets");
        await AssertRateLimited(blocked, limit: 2, windowSeconds: 2);
        var clock = Stopwatch.StartNew();

        HttpResponseMessage? next = null;
        var reopened = await Eventually.Until(async () =>
            (next = await client.GetAsync("/api/v1/tickets")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10));

        Assert.True(reopened, "still limited 10 s after a 2 s window");
        Assert.Equal(1, next!.Header("X-RateLimit-Remaining"));
        // Not before the window the 429 announced (less a little for rounding up to whole seconds).
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(blocked.Header("Retry-After") - 1));
    }

    [Theory]
    [InlineData("TEMP_USER", 1)]
    [InlineData("CUSTOMER", 2)]
    [InlineData("AGENT", 4)]
    public async Task A_role_override_replaces_the_policy_limit_for_that_role(string role, int limit)
    {
        var client = app.ClientFor(new TestUser(Unique.Id("user"), "user", role));
        for (var i = 0; i < limit; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/tickets/nope")).StatusCode);

        await AssertRateLimited(await client.GetAsync("/api/v1/tickets/nope"), limit, windowSeconds: 60);
    }

    [Fact]
    public void Role_overrides_from_configuration_add_to_the_seed_defaults()
    {
        var options = app.Services.GetRequiredService<IOptions<Server.RateLimiting.RateLimitOptions>>().Value;

        Assert.Equal(4, options.Policies["GetTicket"].LimitFor("AGENT"));
        Assert.Equal(3, options.Policies["CreateTicket"].PermitLimit);
        Assert.Equal(15, options.Policies["PostMessage"].PermitLimit);
    }
}
