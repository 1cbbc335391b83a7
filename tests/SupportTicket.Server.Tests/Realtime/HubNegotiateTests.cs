using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Realtime;

public sealed class HubNegotiateTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Negotiate_allows_anonymous_clients_and_offers_websockets_with_stateful_reconnect()
    {
        var response = await app.Anonymous().PostAsync($"{HubClient.Path}/negotiate?negotiateVersion=1&useStatefulReconnect=true", null);

        var body = await response.Body();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(body.GetProperty("useStatefulReconnect").GetBoolean());
        Assert.Contains("WebSockets", body.GetProperty("availableTransports").EnumerateArray().Select(t => t.Str("transport")));
    }
}
