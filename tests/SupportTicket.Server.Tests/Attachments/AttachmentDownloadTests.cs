using System.Net;
using System.Net.Http.Headers;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Attachments.AttachmentSeed;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>Downloads stream from the chunk rows: whole files, ranges across chunk edges, revalidation, and the headers that keep a file inert.</summary>
public abstract class AttachmentDownloadTests(TestApp app)
{
    private async Task<string> TicketAsync() => (await app.ClientFor(Unique.Customer()).CreateTicket()).Str("id");

    [Fact]
    public async Task A_file_of_several_chunks_downloads_whole_and_by_ranges_across_chunk_edges()
    {
        var data = Random(300_000); // four full 64 KiB chunks and a short fifth
        var link = await StoreAsync(app, await TicketAsync(), null, "dump.bin", "application/octet-stream", data);
        var anonymous = app.Anonymous();

        var whole = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(data.Length, whole.Content.Headers.ContentLength);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());

        var edge = new HttpRequestMessage(HttpMethod.Get, link) { Headers = { Range = new RangeHeaderValue(65_530, 131_080) } };
        var part = await anonymous.SendAsync(edge);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(data[65_530..131_081], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 65530-131080/{data.Length}", part.Content.Headers.ContentRange!.ToString());

        var tail = new HttpRequestMessage(HttpMethod.Get, link) { Headers = { Range = new RangeHeaderValue(null, 10) } };
        Assert.Equal(data[^10..], await (await anonymous.SendAsync(tail)).Content.ReadAsByteArrayAsync());

        var beyond = new HttpRequestMessage(HttpMethod.Get, link) { Headers = { Range = new RangeHeaderValue(400_000, 500_000) } };
        var refused = await anonymous.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal("BAD_REQUEST", (await refused.Body()).Str("error"));
    }

    [Fact]
    public async Task A_file_is_revalidated_by_its_etag_and_cached_privately_for_good()
    {
        var link = await StoreAsync(app, await TicketAsync(), null, "photo.png", "image/png", Random(1000));
        var anonymous = app.Anonymous();

        var first = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.True(first.Headers.CacheControl!.Private);
        Assert.Contains("immutable", first.Headers.CacheControl.Extensions.Select(e => e.Name));

        var again = new HttpRequestMessage(HttpMethod.Get, link) { Headers = { IfNoneMatch = { etag } } };
        var notModified = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("report.pdf", "application/pdf")]
    [InlineData("notes.txt", "text/plain")]
    [InlineData("page.html", "text/html")]
    [InlineData("drawing.svg", "image/svg+xml")]
    public async Task Anything_but_a_plain_image_downloads_as_a_file_in_a_sandbox(string fileName, string contentType)
    {
        var link = await StoreAsync(app, await TicketAsync(), null, fileName, contentType, Random(100));

        var served = await app.Anonymous().GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(fileName, served.Content.Headers.ContentDisposition.FileNameStar ?? served.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("application/octet-stream", served.Content.Headers.ContentType!.MediaType);
        AssertInert(served);
    }

    [Fact]
    public async Task An_image_is_shown_inline_with_its_type_and_still_sandboxed()
    {
        var link = await StoreAsync(app, await TicketAsync(), null, "screen.png", "image/png", Random(100));

        var served = await app.Anonymous().GetAsync(link);

        Assert.Null(served.Content.Headers.ContentDisposition);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        AssertInert(served);
    }

    /// <summary>The endpoint's own CSP reaches the client: the global headers middleware used to overwrite it.</summary>
    private static void AssertInert(HttpResponseMessage served)
    {
        var csp = served.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("sandbox", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
    }
}

public sealed class SqliteAttachmentDownloadTests(SqliteApp app) : AttachmentDownloadTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresAttachmentDownloadTests(PostgresApp app) : AttachmentDownloadTests(app), IClassFixture<PostgresApp>;
