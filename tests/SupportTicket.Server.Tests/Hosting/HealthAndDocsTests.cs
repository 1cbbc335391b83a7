using System.Net;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Hosting;

public sealed class HealthAndDocsTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Liveness_answers_without_a_token()
    {
        var response = await app.Anonymous().GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await response.Body()).Str("status"));
    }

    [Fact]
    public async Task Readiness_checks_the_store()
    {
        var body = await (await app.Anonymous().GetAsync("/health/ready")).Body();
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("store").Str("status"));
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint_with_bearer_auth()
    {
        var doc = await (await app.Anonymous().GetAsync("/swagger/v1/swagger.json")).Body();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/tickets", paths);
        Assert.Contains("/api/v1/tickets/{id}/close", paths);
        Assert.Contains("/api/v1/tickets/{ticketId}/messages/{messageId}", paths);
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").Str("scheme"));
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var response = await app.Anonymous().GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
