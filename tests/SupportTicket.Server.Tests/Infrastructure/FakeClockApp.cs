using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SupportTicket.Server.Tests.Infrastructure;

/// <summary>
/// The real app on a clock the test moves: everything the server times through <see cref="TimeProvider"/> (the hub's
/// authorize timeout, token lifetimes and the expiry timer, the typing throttle's window) waits for <see cref="Clock"/>
/// instead of for seconds to pass. Test tokens are minted on the real clock, which the fake one lags or leads by
/// whatever the tests advanced: <see cref="TokenExpiringIn"/> mints one whose exp lies after both.
/// </summary>
public class FakeClockApp(IDictionary<string, string?>? settings = null, Store store = Store.Sqlite) : TestApp(store, settings)
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>
    /// A token for <paramref name="user"/> whose exp lies <paramref name="lifetime"/> after the later of the two clocks,
    /// and that exp (whole seconds, as a JWT carries it). Move <see cref="Clock"/> past it to expire the token.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt) TokenExpiringIn(TestUser user, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var from = Clock.GetUtcNow() > now ? Clock.GetUtcNow() : now;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((from + lifetime).ToUnixTimeSeconds());
        return (Tokens.Mint(Tokens.Claims(user), expiresAt - now), expiresAt);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
