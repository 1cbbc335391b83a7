using System.Net.WebSockets;
using System.Text;
using SupportTicket.Discord.Tests.Infrastructure;
using SupportTicket.FakeDiscord;

namespace SupportTicket.Discord.Tests.Fake;

/// <summary>The fake must enforce Discord's Gateway rules, or the client tests would prove nothing.</summary>
public sealed class FakeGatewayProtocolTests
{
    [Fact]
    public async Task A_connection_without_v10_json_is_closed_with_4012()
    {
        await using var h = await Harness.StartAsync();
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new Uri(h.Fake.GatewayUrl), CancellationToken.None);

        Assert.Equal(4012, await ReadUntilCloseAsync(socket));
    }

    [Fact]
    public async Task A_payload_before_identify_is_closed_with_4003()
    {
        await using var h = await Harness.StartAsync();
        using var socket = await ConnectAsync(h);

        await SendAsync(socket, """{"op":3,"d":{}}""");

        Assert.Equal(4003, await ReadUntilCloseAsync(socket));
    }

    [Fact]
    public async Task A_second_identify_is_closed_with_4005()
    {
        await using var h = await Harness.StartAsync();
        using var socket = await ConnectAsync(h);
        var identify = Identify(h.Fake.Options.Token, 33281);

        await SendAsync(socket, identify);
        await SendAsync(socket, identify);

        Assert.Equal(4005, await ReadUntilCloseAsync(socket));
    }

    [Fact]
    public async Task Invalid_json_is_closed_with_4002()
    {
        await using var h = await Harness.StartAsync();
        using var socket = await ConnectAsync(h);

        await SendAsync(socket, "{not json");

        Assert.Equal(4002, await ReadUntilCloseAsync(socket));
    }

    [Fact]
    public async Task Unknown_intent_bits_are_closed_with_4013()
    {
        await using var h = await Harness.StartAsync();
        using var socket = await ConnectAsync(h);

        await SendAsync(socket, Identify(h.Fake.Options.Token, 1 << 30));

        Assert.Equal(4013, await ReadUntilCloseAsync(socket));
    }

    [Fact]
    public async Task An_identify_sooner_than_the_identify_interval_gets_op_9_false()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { MinIdentifyInterval = TimeSpan.FromSeconds(5) });
        using var first = await ConnectAsync(h);
        await SendAsync(first, Identify(h.Fake.Options.Token, 33281));
        await Eventually.UntilAsync(() => h.Fake.Gateway.IdentifyCount == 1, "the first session");
        using var second = await ConnectAsync(h);

        await SendAsync(second, Identify(h.Fake.Options.Token, 33281));

        Assert.Contains("\"op\":9", await ReadUntilAsync(second, "\"op\":9"));
        Assert.Equal((1, 1), (h.Fake.Gateway.IdentifyCount, h.Fake.Gateway.TooFastIdentifies));
    }

    [Fact]
    public async Task Identifying_past_the_session_start_budget_resets_the_token()
    {
        await using var h = await Harness.StartAsync(new FakeDiscordOptions { SessionStartTotal = 1 });
        using var first = await ConnectAsync(h);
        await SendAsync(first, Identify(h.Fake.Options.Token, 33281));
        await Eventually.UntilAsync(() => h.Fake.Gateway.IdentifyCount == 1, "the first session");
        using var second = await ConnectAsync(h);

        await SendAsync(second, Identify(h.Fake.Options.Token, 33281));

        Assert.Equal(4004, await ReadUntilCloseAsync(second));
        Assert.True(h.Fake.Gateway.TokenReset);
        await Assert.ThrowsAsync<SupportTicket.Discord.Rest.DiscordUnauthorizedException>(() => h.Rest.GetGatewayBotAsync());
    }

    private static async Task<ClientWebSocket> ConnectAsync(Harness h)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(h.Fake.GatewayUrl + "?v=10&encoding=json"), CancellationToken.None);
        return socket;
    }

    private static string Identify(string token, int intents) =>
        "{\"op\":2,\"d\":{\"token\":\"" + token + "\",\"intents\":" + intents + ",\"properties\":{}}}";

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string> ReadUntilAsync(ClientWebSocket socket, string fragment)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var buffer = new byte[65536];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (text.Contains(fragment, StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    private static async Task<int?> ReadUntilCloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (int?)result.CloseStatus;
            }
        }
    }
}
