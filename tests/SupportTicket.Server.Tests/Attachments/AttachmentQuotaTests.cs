using System.Net;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Attachments.UploadSamples;

namespace SupportTicket.Server.Tests.Attachments;

public sealed class SmallQuotaApp() : FakeClockApp(new Dictionary<string, string?>
{
    ["Attachments:MaxBytes"] = "4096",
    ["Attachments:MaxBytesPerUser"] = "10000",
    ["Attachments:MaxBytesPerTicket"] = "8000",
    ["Attachments:LinkLifetimeSeconds"] = "60",
});

/// <summary>The size limit, both quotas and the link lifetime, on a clock the test moves.</summary>
public sealed class AttachmentQuotaTests(SmallQuotaApp app) : IClassFixture<SmallQuotaApp>
{
    private static byte[] Text(int length) => Enumerable.Repeat((byte)'a', length).ToArray();

    [Fact]
    public async Task A_file_over_MaxBytes_is_refused_with_413()
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");

        var refused = await customer.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Form(Text(4097), "big.txt"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", (await refused.Body()).Str("error"));
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Form(Text(4096), "ok.txt"))).StatusCode);
    }

    [Fact]
    public async Task The_ticket_quota_and_then_the_user_quota_stop_uploads()
    {
        var customer = app.ClientFor(Unique.Customer());
        var first = (await customer.CreateTicket()).Str("id");
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await customer.PostAsync($"/api/v1/tickets/{first}/attachments", Form(Text(4000), "a.txt"))).StatusCode);
        var ticketFull = await customer.PostAsync($"/api/v1/tickets/{first}/attachments", Form(Text(100), "b.txt"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ticketFull.StatusCode);
        Assert.Contains("per ticket", (await ticketFull.Body()).Str("message"));

        var second = (await customer.CreateTicket()).Str("id");
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsync($"/api/v1/tickets/{second}/attachments", Form(Text(1900), "c.txt"))).StatusCode);
        var userFull = await customer.PostAsync($"/api/v1/tickets/{second}/attachments", Form(Text(200), "d.txt"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, userFull.StatusCode);
        Assert.Contains("per user", (await userFull.Body()).Str("message"));
    }

    [Fact]
    public async Task A_signed_url_works_until_it_expires_and_is_refused_after()
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var url = new Uri((await (await customer.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Form(Png(), "s.png"))).Body()).Str("url"));
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(url.PathAndQuery)).StatusCode);

        app.Clock.Advance(TimeSpan.FromSeconds(61));

        var expired = await app.Anonymous().GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        var error = await expired.Body();
        Assert.Equal("FORBIDDEN", error.Str("error"));
        Assert.Contains("expired", error.Str("message"));
    }
}
