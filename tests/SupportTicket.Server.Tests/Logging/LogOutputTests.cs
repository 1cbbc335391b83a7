using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SupportTicket.Server.Tests.Infrastructure;
using SupportTicket.Server.Tests.RateLimiting;

namespace SupportTicket.Server.Tests.Logging;

/// <summary>The server's real console output, read from its own process as an operator would see it.</summary>
public sealed class LogOutputTests
{
    [Fact]
    public async Task Production_writes_one_compact_json_request_line_with_user_route_and_correlation_and_never_a_token_secret_or_content()
    {
        using var server = new RunningServer(new() { ["SERVER_MODE"] = "PRODUCTION", ["LOG_LEVEL"] = "Debug" });
        await server.WaitUntilLiveAsync();
        var user = TestUser.Customer("log-user-" + Guid.NewGuid().ToString("N")[..8]);
        var token = Tokens.For(user);
        var marker = Guid.NewGuid().ToString("N");
        using var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var ticket = await client.CreateTicket("TOPIC-" + marker);
        var ticketId = ticket.Str("id");
        await client.PostMessage(ticketId, "CONTENT-" + marker);
        await client.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content = "BAD\u0000-" + marker }); // refused: 400
        using var anonymous = server.Client();
        var viaQuery = await anonymous.GetAsync($"/api/v1/tickets?access_token={token}");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged-" + marker);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/tickets")).StatusCode);

        var requestLines = new List<JsonElement>();
        Assert.True(await Eventually.Until(() =>
        {
            requestLines = server.Lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Where(e => e.TryGetProperty("SourceContext", out var source) && source.GetString() == "Serilog.AspNetCore.RequestLoggingMiddleware").ToList();
            return Task.FromResult(requestLines.Count(e => e.GetProperty("RequestPath").GetString()!.StartsWith("/api/")) >= 5);
        }, TimeSpan.FromSeconds(10)), "request lines missing:\n" + string.Join('\n', server.Lines));

        var post = requestLines.Single(e => e.GetProperty("RequestMethod").GetString() == "POST" && e.GetProperty("StatusCode").GetInt32() == 201
            && e.GetProperty("RequestPath").GetString()!.EndsWith("/messages"));
        Assert.Equal(user.Id, post.GetProperty("UserId").GetString());
        Assert.StartsWith("/api/v1/tickets/{ticketId}/messages", post.GetProperty("Route").GetString());
        Assert.False(string.IsNullOrEmpty(post.GetProperty("CorrelationId").GetString()));
        Assert.True(post.TryGetProperty("@t", out _) && post.TryGetProperty("@m", out _), "not compact JSON: " + post);
        Assert.Equal("/api/v1/tickets", requestLines.First(e => e.GetProperty("StatusCode").GetInt32() == (int)viaQuery.StatusCode
            && e.GetProperty("RequestMethod").GetString() == "GET").GetProperty("RequestPath").GetString());

        foreach (var line in server.Lines)
        {
            Assert.DoesNotContain(token, line);
            Assert.DoesNotContain(token.Split('.')[2], line);   // not even the signature alone
            Assert.DoesNotContain(Tokens.Secret, line);
            Assert.DoesNotContain(marker, line);                 // topic, message content, refused content, forged token
        }
        Assert.All(server.Lines.Where(l => l.Length > 0), l => Assert.StartsWith("{", l));
    }

    [Fact]
    public async Task Development_writes_readable_lines()
    {
        using var server = new RunningServer(new() { ["SERVER_MODE"] = "DEVELOPMENT" });
        await server.WaitUntilLiveAsync();
        using var client = server.Client();
        await client.GetAsync("/api/v1/tickets");

        Assert.True(await Eventually.Until(() => Task.FromResult(server.Lines.Any(l =>
            System.Text.RegularExpressions.Regex.IsMatch(l, @"^\[\d\d:\d\d:\d\d INF\] Serilog\.AspNetCore\.RequestLoggingMiddleware: HTTP GET /api/v1/tickets responded 401 in [\d.]+ ms for - \(\S+\)$"))),
            TimeSpan.FromSeconds(10)), string.Join('\n', server.Lines));
    }
}
