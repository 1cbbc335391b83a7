using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Idempotency;

/// <summary>An Idempotency-Key protects a retry for 24 hours, and is free again after that.</summary>
public sealed class IdempotencyWindowTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    /// <summary>The server's clock, moved by the test; timers still run on real time.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    private static HttpRequestMessage Create(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
        {
            Content = JsonContent.Create(new { topic = "t", description = "d" }, options: Http.Json),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task Same_key_is_a_new_request_once_the_24_hour_window_has_passed()
    {
        var clock = new MovableClock();
        // Tokens are checked on this clock too, so the one token must outlive the 25 hours the clock moves.
        using var moved = app.WithWebHostBuilder(b => b.UseSetting("Auth:MaxTokenLifetimeSeconds", "259200")
            .ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = moved.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Unique.Customer(), TimeSpan.FromDays(2)));
        var key = Guid.NewGuid().ToString();
        var first = await (await client.SendAsync(Create(key))).Body();

        clock.Offset = TimeSpan.FromHours(23);
        var withinWindow = await (await client.SendAsync(Create(key))).Body();
        clock.Offset = TimeSpan.FromHours(25);
        var afterWindow = await client.SendAsync(Create(key));

        Assert.Equal(first.Str("id"), withinWindow.Str("id"));
        Assert.Equal(HttpStatusCode.Created, afterWindow.StatusCode);
        Assert.NotEqual(first.Str("id"), (await afterWindow.Body()).Str("id"));
    }
}
