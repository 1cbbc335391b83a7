using System.Net;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Errors;

/// <summary>Every failure has the seed's body and the right status, and never leaks internals.</summary>
public sealed class ErrorBodyTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private HttpClient Customer => app.ClientFor(Unique.Customer());

    private static async Task<System.Text.Json.JsonElement> AssertError(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = await response.Body();
        Assert.Equal(error, body.Str("error"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("message")));
        return body;
    }

    [Fact]
    public async Task Missing_fields_are_listed_one_entry_each()
    {
        var body = await AssertError(await Customer.PostJson("/api/v1/tickets", new { }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("Invalid form of body", body.Str("message"));
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["topic", "description"], errors.Select(e => e.Str("location")));
        Assert.All(errors, e => Assert.Equal("required", e.Str("type")));
        Assert.All(errors, e => Assert.True(e.TryGetProperty("context", out _)));
    }

    [Theory]
    [InlineData("   ", "empty")]
    [InlineData("", "empty")]
    public async Task Whitespace_only_text_is_rejected(string topic, string type)
    {
        var body = await AssertError(await Customer.PostJson("/api/v1/tickets", new { topic, description = "d" }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(type, body.GetProperty("errors")[0].Str("type"));
    }

    [Fact]
    public async Task Overlong_fields_are_rejected_with_their_limit()
    {
        var body = await AssertError(await Customer.PostJson("/api/v1/tickets", new { topic = new string('t', 201), description = new string('d', 10_001) }),
            HttpStatusCode.BadRequest, "BAD_REQUEST");
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["topic", "description"], errors.Select(e => e.Str("location")));
        Assert.All(errors, e => Assert.Equal("max_length", e.Str("type")));
        Assert.Equal(200, errors[0].GetProperty("context").GetProperty("max").GetInt32());
    }

    [Fact]
    public async Task Unknown_issue_level_is_rejected()
    {
        var body = await AssertError(await Customer.PostJson("/api/v1/tickets", new { topic = "t", description = "d", issue_level = "APOCALYPTIC" }),
            HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("issue_level", body.GetProperty("errors")[0].Str("location"));
    }

    [Fact]
    public async Task Message_content_and_attachments_are_bounded()
    {
        var client = Customer;
        var id = (await client.CreateTicket()).Str("id");
        var tooLong = await AssertError(await client.PostJson($"/api/v1/tickets/{id}/messages", new { content = new string('x', 4001) }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("content", tooLong.GetProperty("errors")[0].Str("location"));
        var tooMany = await AssertError(await client.PostJson($"/api/v1/tickets/{id}/messages",
            new { content = "x", attachments = Enumerable.Range(0, 11).Select(i => $"https://e.com/{i}") }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("attachments", tooMany.GetProperty("errors")[0].Str("location"));
        var badUrl = await AssertError(await client.PostJson($"/api/v1/tickets/{id}/messages",
            new { content = "x", attachments = new[] { "https://ok.example/a", "javascript:alert(1)", "https://e.com/" + new string('a', 2048) } }), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(["attachments[1]", "attachments[2]"], badUrl.GetProperty("errors").EnumerateArray().Select(e => e.Str("location")));
    }

    [Fact]
    public async Task Malformed_json_is_a_400()
    {
        var response = await Customer.PostAsync("/api/v1/tickets", new StringContent("{\"topic\": ", Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task Value_of_the_wrong_type_names_the_field()
    {
        var response = await Customer.PostAsync("/api/v1/tickets", new StringContent("{\"topic\": 42, \"description\": \"d\"}", Encoding.UTF8, "application/json"));
        var body = await AssertError(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("topic", body.GetProperty("errors")[0].Str("location"));
    }

    [Fact]
    public async Task Empty_body_is_a_400()
    {
        var response = await Customer.PostAsync("/api/v1/tickets", new StringContent("", Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_with_the_error_body()
    {
        var response = await Customer.PostAsync("/api/v1/tickets", new StringContent("topic=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await AssertError(response, HttpStatusCode.UnsupportedMediaType, "BAD_REQUEST");
    }

    [Fact]
    public async Task Unknown_route_is_a_404_with_the_error_body() =>
        await AssertError(await Customer.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound, "NOT_FOUND");

    [Fact]
    public async Task Wrong_method_is_a_405_with_the_error_body() =>
        await AssertError(await Customer.PutAsync("/api/v1/tickets", null), HttpStatusCode.MethodNotAllowed, "BAD_REQUEST");

    [Fact]
    public async Task Oversize_body_is_a_413()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new { topic = "t", description = new string('d', 70_000) });
        var response = await Customer.PostAsync("/api/v1/tickets", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task Non_numeric_query_parameter_is_a_400()
    {
        var body = await AssertError(await Customer.GetAsync("/api/v1/tickets?limit=lots"), HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("limit", body.GetProperty("errors")[0].Str("location"));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("before=-3")]
    [InlineData("status=LOST")]
    public async Task Out_of_range_list_query_is_a_400(string query) =>
        await AssertError(await app.ClientFor(Unique.Agent()).GetAsync($"/api/v1/tickets?{query}"), HttpStatusCode.BadRequest, "BAD_REQUEST");

    [Theory]
    [InlineData("{\"colour\": \"red\"}")]
    [InlineData("{}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"status\": \"CLOSED\"}")]
    [InlineData("{\"assignee_id\": 5}")]
    public async Task Bad_patch_bodies_are_400(string json)
    {
        var agent = app.ClientFor(Unique.Agent());
        var id = (await Customer.CreateTicket()).Str("id");
        var response = await agent.PatchAsync($"/api/v1/tickets/{id}", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task Invalid_idempotency_key_is_a_400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets") { Content = System.Net.Http.Json.JsonContent.Create(new { topic = "t", description = "d" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 300));
        await AssertError(await Customer.SendAsync(request), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task Unhandled_exception_is_a_500_without_internals_but_with_a_correlation_id()
    {
        // The store's create, not the clock (also read by authentication and at startup) nor the event bus (a create
        // is group-committed on both stores, so a failing publish after the commit is logged and the answer is 201).
        using var failing = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<SupportTicket.Server.Storage.ITicketCreator>(new ExplodingCreator())));
        var client = failing.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Unique.Customer()));
        var response = await client.PostJson("/api/v1/tickets", new { topic = "t", description = "d" });
        var body = await AssertError(response, HttpStatusCode.InternalServerError, "INTERNAL_SERVER_ERROR");
        var text = body.GetRawText();
        Assert.DoesNotContain("database password", text);
        Assert.DoesNotContain(" at ", text);
        Assert.False(string.IsNullOrEmpty(body.Str("correlation_id")));
    }

    private sealed class ExplodingCreator : SupportTicket.Server.Storage.ITicketCreator
    {
        public Task<SupportTicket.Server.Storage.CreateOutcome> CreateAsync(
            SupportTicket.Server.Storage.TicketWrite create, Action<SupportTicket.Server.Tickets.Ticket> committed, CancellationToken ct) =>
            throw new InvalidOperationException("database password is hunter2");
    }
}
