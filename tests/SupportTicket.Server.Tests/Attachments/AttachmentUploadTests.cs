using System.Net;
using System.Text;
using SkiaSharp;
using SupportTicket.Server.Tests.Infrastructure;
using static SupportTicket.Server.Tests.Attachments.UploadSamples;

namespace SupportTicket.Server.Tests.Attachments;

/// <summary>POST /tickets/{id}/attachments on both stores: types by their bytes, metadata gone, signed links, and who may use the file.</summary>
public abstract class AttachmentUploadTests(TestApp app)
{
    private static string Uploads(string ticketId) => $"/api/v1/tickets/{ticketId}/attachments";

    [Fact]
    public async Task An_owner_uploads_a_png_and_its_signed_url_serves_it_inline_while_the_bare_or_tampered_link_is_refused()
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var png = Png();

        var created = await customer.PostAsync(Uploads(ticketId), Form(png, "../../etc/Screen shot<1>.png", "text/html"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Body();
        Assert.Equal("Screen shot_1_.png", body.Str("name"));
        Assert.Equal("image/png", body.Str("content_type"));
        var url = new Uri(body.Str("url"));
        var served = await app.Anonymous().GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.GetProperty("size").GetInt64(), bytes.Length);
        using (var decoded = SKBitmap.Decode(bytes)) Assert.Equal(40, decoded.Width);

        var bare = await app.Anonymous().GetAsync(url.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Equal("FORBIDDEN", (await bare.Body()).Str("error"));
        var tampered = await app.Anonymous().GetAsync(url.PathAndQuery.Replace("expires=", "expires=9"));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    [Fact]
    public async Task A_jpeg_is_re_encoded_without_its_exif_block()
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var original = JpegWithExif();
        Assert.Contains(Secret, Encoding.ASCII.GetString(original));

        var body = await (await customer.PostAsync(Uploads(ticketId), Form(original, "holiday.jpg", "image/jpeg"))).Body();
        var stored = await app.Anonymous().GetByteArrayAsync(new Uri(body.Str("url")).PathAndQuery);

        Assert.DoesNotContain(Secret, Encoding.ASCII.GetString(stored));
        Assert.Equal([0xFF, 0xD8, 0xFF], stored[..3]);
        using var decoded = SKBitmap.Decode(stored);
        Assert.Equal(64, decoded.Width);
    }

    [Theory]
    [InlineData("tool.exe", new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00 })]
    [InlineData("page.txt", new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E, 0x3C, 0x2F, 0x68, 0x74, 0x6D, 0x6C, 0x3E })]
    [InlineData("fake.png", new byte[] { 0x00, 0x01, 0x02, 0x03, 0xFF, 0xFE })]
    public async Task A_file_outside_the_allow_list_is_refused_with_415_whatever_its_name_says(string name, byte[] data)
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");

        var refused = await customer.PostAsync(Uploads(ticketId), Form(data, name, "image/png"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        var error = await refused.Body();
        Assert.Equal("BAD_REQUEST", error.Str("error"));
        Assert.Contains("not accepted", error.Str("message"));
    }

    [Theory]
    [InlineData("server.log", "text/plain", "2026-12-07 12:00:01 \u001b[31mERROR\u001b[0m Timeout\n")]
    [InlineData("archive.zip", "application/zip", "PK\u0005\u0006\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")]
    [InlineData("invoice.pdf", "application/pdf", "%PDF-1.4\n%EOF\n")]
    public async Task Logs_archives_and_pdfs_are_accepted_by_their_bytes(string name, string type, string content)
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");

        var created = await customer.PostAsync(Uploads(ticketId), Form(Encoding.UTF8.GetBytes(content), name));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(type, (await created.Body()).Str("content_type"));
    }

    [Fact]
    public async Task Another_customers_ticket_is_not_found_and_so_are_its_files()
    {
        var owner = app.ClientFor(Unique.Customer());
        var stranger = app.ClientFor(Unique.Customer());
        var ticketId = (await owner.CreateTicket()).Str("id");
        var id = (await (await owner.PostAsync(Uploads(ticketId), Form(Png(), "a.png"))).Body()).Str("id");

        var upload = await stranger.PostAsync(Uploads(ticketId), Form(Png(), "b.png"));
        Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        Assert.Equal("NOT_FOUND", (await upload.Body()).Str("error"));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"{Uploads(ticketId)}/{id}")).StatusCode);
        var own = (await stranger.CreateTicket()).Str("id");
        var post = await stranger.PostJson($"/api/v1/tickets/{own}/messages", new { content = "mine now", attachments = new[] { id } });
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal("attachments[0]", (await post.Body()).GetProperty("errors")[0].Str("location"));
    }

    [Fact]
    public async Task A_message_carries_the_upload_and_the_agent_gets_a_fresh_signed_link_to_it()
    {
        var customer = app.ClientFor(Unique.Customer());
        var agent = app.ClientFor(Unique.Agent());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var id = (await (await customer.PostAsync(Uploads(ticketId), Form(Png(), "shot.png"))).Body()).Str("id");
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor(Unique.Customer()).GetAsync($"{Uploads(ticketId)}/{id}")).StatusCode);

        var message = await (await customer.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content = "see", attachments = new[] { id } })).Body();
        var link = message.GetProperty("attachments")[0].GetString()!;
        Assert.EndsWith($"/api/v1/attachments/{id}/shot.png", link);
        var again = await customer.PostJson($"/api/v1/tickets/{ticketId}/messages", new { content = "twice", attachments = new[] { id } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        var fresh = await agent.GetAsync($"{Uploads(ticketId)}/{id}");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var served = await app.Anonymous().GetAsync(new Uri((await fresh.Body()).Str("url")).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Uploaded_files_go_with_their_ticket()
    {
        var customer = app.ClientFor(Unique.Customer());
        var ticketId = (await customer.CreateTicket()).Str("id");
        var url = new Uri((await (await customer.PostAsync(Uploads(ticketId), Form(AttachmentSeed.Random(200_000).Select(b => (byte)(b % 64 + 32)).ToArray(), "big.log"))).Body()).Str("url"));

        Assert.Equal(HttpStatusCode.NoContent, (await app.ClientFor(Unique.Admin()).DeleteAsync($"/api/v1/tickets/{ticketId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(0, await AttachmentSeed.ChunksAsync(app, url.AbsolutePath));
    }
}

public sealed class SqliteAttachmentUploadTests(SqliteApp app) : AttachmentUploadTests(app), IClassFixture<SqliteApp>;
public sealed class PostgresAttachmentUploadTests(PostgresApp app) : AttachmentUploadTests(app), IClassFixture<PostgresApp>;
