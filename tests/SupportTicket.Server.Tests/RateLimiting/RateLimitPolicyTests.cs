using System.Net;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.RateLimiting.RateLimitAssertions;

namespace SupportTicket.Server.Tests.RateLimiting;

public sealed class RateLimitPolicyTests(SeedLimitsApp app) : IClassFixture<SeedLimitsApp>
{
    [Fact]
    public async Task Create_ticket_allows_three_per_minute_then_answers_429_with_the_seed_body()
    {
        var client = app.ClientFor(Unique.Customer());
        for (var i = 0; i < 3; i++) await client.CreateTicket($"Problem {i}");

        var fourth = await client.PostJson("/api/v1/tickets", new { topic = "One too many", description = "x" });

        await AssertRateLimited(fourth, limit: 3, windowSeconds: 60);
    }

    [Fact]
    public async Task Successful_limited_responses_count_down_remaining_and_say_when_the_window_resets()
    {
        var client = app.ClientFor(Unique.Customer());
        var remaining = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostJson("/api/v1/tickets", new { topic = $"Problem {i}", description = "x" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(3, response.Header("X-RateLimit-Limit"));
            Assert.InRange(response.Header("X-RateLimit-Reset"), 1, 60);
            Assert.False(response.Headers.Contains("Retry-After"));
            remaining.Add(response.Header("X-RateLimit-Remaining"));
        }
        Assert.Equal([2, 1, 0], remaining);
    }

    [Theory]
    [InlineData("CreateTicket", "POST", "/api/v1/tickets", 3)]
    [InlineData("ListTickets", "GET", "/api/v1/tickets", 30)]
    [InlineData("GetTicket", "GET", "/api/v1/tickets/nope", 30)]
    [InlineData("UpdateTicket", "PATCH", "/api/v1/tickets/nope", 15)]
    [InlineData("CloseTicket", "POST", "/api/v1/tickets/nope/close", 15)]
    [InlineData("ReopenTicket", "POST", "/api/v1/tickets/nope/reopen", 15)]
    [InlineData("DeleteTicket", "DELETE", "/api/v1/tickets/nope", 15)]
    [InlineData("PostMessage", "POST", "/api/v1/tickets/nope/messages", 15)]
    [InlineData("ListMessages", "GET", "/api/v1/tickets/nope/messages", 15)]
    [InlineData("EditMessage", "PATCH", "/api/v1/tickets/nope/messages/m1", 15)]
    [InlineData("DeleteMessage", "DELETE", "/api/v1/tickets/nope/messages/m1", 15)]
    public async Task Every_endpoint_has_the_seed_limit_per_minute(string policy, string method, string path, int limit)
    {
        var client = app.ClientFor(Unique.Customer());
        for (var i = 0; i < limit; i++)
        {
            var allowed = await client.Send(method, path);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
            Assert.Equal(limit - i - 1, allowed.Header("X-RateLimit-Remaining"));
        }

        var over = await client.Send(method, path);

        Assert.True(over.StatusCode == HttpStatusCode.TooManyRequests, $"{policy}: request {limit + 1} answered {(int)over.StatusCode}");
        await AssertRateLimited(over, limit, windowSeconds: 60);
    }

    [Fact]
    public async Task Each_endpoint_counts_separately()
    {
        var client = app.ClientFor(Unique.Customer());
        for (var i = 0; i < 15; i++) await client.Send("GET", "/api/v1/tickets/nope/messages");

        var list = await client.GetAsync("/api/v1/tickets");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(29, list.Header("X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task One_user_at_the_limit_does_not_limit_another_user()
    {
        var noisy = app.ClientFor(Unique.Customer());
        for (var i = 0; i < 3; i++) await noisy.CreateTicket($"Problem {i}");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await noisy.PostJson("/api/v1/tickets", new { topic = "t", description = "d" })).StatusCode);

        var quiet = await app.ClientFor(Unique.Customer()).PostJson("/api/v1/tickets", new { topic = "Mine", description = "d" });

        Assert.Equal(HttpStatusCode.Created, quiet.StatusCode);
        Assert.Equal(2, quiet.Header("X-RateLimit-Remaining"));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Health_and_api_docs_are_not_limited(string path)
    {
        var client = app.ClientFor(Unique.Guest());
        for (var i = 0; i < 40; i++)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.HasRateLimitHeaders());
        }
    }

    [Fact]
    public async Task The_hub_negotiate_request_is_not_limited()
    {
        var client = app.ClientFor(Unique.Guest());
        for (var i = 0; i < 40; i++)
        {
            var response = await client.PostAsync("/hubs/tickets/negotiate?negotiateVersion=1", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.HasRateLimitHeaders());
        }
    }
}
