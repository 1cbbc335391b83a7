using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Tests.Infrastructure;

namespace SupportTicket.Server.Tests.Hosting;

/// <summary>The app as PRODUCTION runs it.</summary>
public sealed class ProductionApp(Dictionary<string, string?>? settings = null) : TestApp(Store.Sqlite, settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public sealed class HardeningTests
{
    [Fact]
    public async Task Api_docs_are_off_by_default_in_production()
    {
        using var app = new ProductionApp();
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/swagger/v1/swagger.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/swagger/index.html")).StatusCode);
    }

    [Fact]
    public async Task Api_docs_can_be_switched_on_in_production()
    {
        using var app = new ProductionApp(new() { ["Server:ApiDocs"] = "true" });
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/swagger/v1/swagger.json")).StatusCode);
    }

    [Fact]
    public async Task Every_answer_carries_nosniff_and_no_framing()
    {
        using var app = new TestApp();
        foreach (var response in new[] { await app.Anonymous().GetAsync("/api/v1/tickets"), await app.ClientFor(Unique.Customer()).GetAsync("/api/v1/tickets") })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public async Task An_overlong_url_and_oversized_headers_get_414_and_431_with_the_error_body()
    {
        using var app = new TestApp();
        using var client = new HttpClient { BaseAddress = app.StartOnLoopback() };

        var longUrl = await client.GetAsync("/api/v1/tickets?q=" + new string('a', 10_000));
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tickets");
        bigHeaders.Headers.Add("X-Filler", new string('b', 40_000));
        var bigHeader = await client.SendAsync(bigHeaders);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, longUrl.StatusCode);
        Assert.Equal("BAD_REQUEST", (await longUrl.Body()).Str("error"));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeader.StatusCode);
        Assert.Equal("BAD_REQUEST", (await bigHeader.Body()).Str("error"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_development_key_file_is_readable_by_its_owner_only()
    {
        var directory = Directory.CreateTempSubdirectory("st-key-").FullName;
        try
        {
            var keys = SigningKeys.Load(new AuthOptions(), development: true, directory);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.GeneratedKeyFile!));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

public sealed class SmallRuleTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task A_customer_may_not_choose_the_support_role_on_create_as_on_patch()
    {
        var response = await app.ClientFor(Unique.Customer()).PostJson("/api/v1/tickets", new { topic = "t", description = "d", support_role = "ADMIN" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.ClientFor(Unique.Agent()).PostJson("/api/v1/tickets", new { topic = "t", description = "d", support_role = "ADMIN" })).StatusCode);
    }

    [Fact]
    public async Task A_customer_may_not_delete_their_message_on_a_closed_ticket_as_they_may_not_edit_it()
    {
        var client = app.ClientFor(Unique.Customer());
        var ticket = await client.CreateTicket();
        var message = await client.PostMessage(ticket.Str("id"), "hello");
        await client.PostJson($"/api/v1/tickets/{ticket.Str("id")}/close", new { });

        var delete = await client.DeleteAsync($"/api/v1/tickets/{ticket.Str("id")}/messages/{message.Str("id")}");

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal("CONFLICT", (await delete.Body()).Str("error"));
    }
}
