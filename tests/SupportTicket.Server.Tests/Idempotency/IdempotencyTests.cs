using System.Net;
using System.Net.Http.Json;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Idempotency;

public abstract class IdempotencyTests(TestApp app)
{
    private static HttpRequestMessage Post(string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Http.Json) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task Retried_ticket_creation_returns_the_first_ticket_and_creates_nothing_new()
    {
        var client = app.ClientFor(Unique.Customer());
        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(Post("/api/v1/tickets", new { topic = "t", description = "d" }, key));
        var retry = await client.SendAsync(Post("/api/v1/tickets", new { topic = "t", description = "d" }, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await first.Body()).Str("id"), (await retry.Body()).Str("id"));
        Assert.Equal(1, (await (await client.GetAsync("/api/v1/tickets")).Body()).GetArrayLength());
    }

    [Fact]
    public async Task Same_key_from_another_user_is_independent()
    {
        var key = Guid.NewGuid().ToString();
        var a = await (await app.ClientFor(Unique.Customer()).SendAsync(Post("/api/v1/tickets", new { topic = "t", description = "d" }, key))).Body();
        var b = await (await app.ClientFor(Unique.Customer()).SendAsync(Post("/api/v1/tickets", new { topic = "t", description = "d" }, key))).Body();
        Assert.NotEqual(a.Str("id"), b.Str("id"));
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_a_conflict()
    {
        var client = app.ClientFor(Unique.Customer());
        var key = Guid.NewGuid().ToString();
        await client.SendAsync(Post("/api/v1/tickets", new { topic = "first", description = "d" }, key));
        var response = await client.SendAsync(Post("/api/v1/tickets", new { topic = "second", description = "d" }, key));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_ticket_create_create_exactly_one()
    {
        var client = app.ClientFor(Unique.Customer());
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            client.SendAsync(Post("/api/v1/tickets", new { topic = "once", description = "d" }, key))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(r => r.Body()));
        Assert.Single(answers.Select(a => a.Str("id")).Distinct());
        Assert.Single(answers.Select(a => a.GetProperty("number").GetInt64()).Distinct());
        var list = await (await client.GetAsync("/api/v1/tickets")).Body();
        Assert.Equal(answers[0].Str("id"), Assert.Single(list.EnumerateArray()).Str("id"));
    }

    [Fact]
    public async Task Concurrent_retries_of_one_message_create_exactly_one()
    {
        var client = app.ClientFor(Unique.Customer());
        var id = (await client.CreateTicket()).Str("id");
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            client.SendAsync(Post($"/api/v1/tickets/{id}/messages", new { content = "only once" }, key))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Body()).Str("id")));
        Assert.Single(ids.Distinct());
        var messages = await (await client.GetAsync($"/api/v1/tickets/{id}/messages")).Body();
        Assert.Equal(1, messages.GetArrayLength());
        Assert.Equal(1, messages[0].GetProperty("seq").GetInt64());
        var next = await client.PostMessage(id, "next");
        Assert.Equal(2, next.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Retried_message_after_close_still_returns_the_original()
    {
        var client = app.ClientFor(Unique.Customer());
        var id = (await client.CreateTicket()).Str("id");
        var key = Guid.NewGuid().ToString();
        var first = await (await client.SendAsync(Post($"/api/v1/tickets/{id}/messages", new { content = "bye" }, key))).Body();
        await client.PostAsync($"/api/v1/tickets/{id}/close", null);
        var retry = await client.SendAsync(Post($"/api/v1/tickets/{id}/messages", new { content = "bye" }, key));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Str("id"), (await retry.Body()).Str("id"));
    }
}

public sealed class SqliteIdempotencyTests(SqliteApp app) : IdempotencyTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresIdempotencyTests(PostgresApp app) : IdempotencyTests(app), IClassFixture<PostgresApp>;
