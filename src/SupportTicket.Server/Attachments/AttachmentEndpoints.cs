using SupportTicket.Server.Api;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SupportTicket.Server.Errors;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Attachments;

public static class AttachmentEndpoints
{
    public static IServiceCollection AddAttachments(this IServiceCollection services)
    {
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AttachmentOptions>, AttachmentOptionsValidator>();
        services.AddSingleton<LinkSigner>();
        services.AddScoped<AttachmentUploads>();
        return services.AddSingleton<DownloadSlots>();
    }

    public const string Policy = "AttachmentDownloads";

    // Only images are shown in the browser; everything else (PDFs and text too) downloads as a file.
    private static readonly HashSet<string> Inline = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    // Kept by the security-headers middleware: even an image shown here runs nothing and cannot be framed.
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapAttachments(this IEndpointRouteBuilder app)
    {
        // {name} is only there so the link ends in the file's name; the id alone finds the file.
        app.MapGet("/api/v1/attachments/{id}/{name}", async (string id, string name, AppDbContext db, DownloadSlots slots, LinkSigner signer,
            HttpContext http, CancellationToken ct) =>
        {
            var (slot, refusal, limit) = slots.TryEnter(RateLimitPartition.IpKey(http.Connection.RemoteIpAddress));
            if (slot is null) return Refuse(http, refusal!, limit);
            http.Response.RegisterForDispose(slot);
            var file = await db.Attachments.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (file is null) return ApiErrors.Result(ApiError.NotFound($"Attachment {id} not found"));
            // Uploads are served by signed links only; files re-hosted from Discord keep their id-as-key links.
            if (file.UploadedBy is not null && signer.Problem(file.Id, http.Request.Query["expires"], http.Request.Query["sig"]) is { } refused)
                return ApiErrors.Result(ApiError.Forbidden(refused));
            var type = file.ContentType.Split(';')[0].Trim().ToLowerInvariant();
            var inline = Inline.Contains(type);
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            // The bytes behind an id never change, so the id is a strong validator and the file may be cached for
            // good (a signed link: as long as the link lives); private keeps it out of shared caches.
            headers.CacheControl = file.UploadedBy is null ? "private, max-age=31536000, immutable" : "private, max-age=900";
            return new FileWithErrorBody(Results.File(new AttachmentReadStream(db, file), inline ? type : "application/octet-stream",
                fileDownloadName: inline ? null : file.FileName, entityTag: new EntityTagHeaderValue($"\"{file.Id}\""), enableRangeProcessing: true));
        }).WithTags("Attachments").WithName("GetAttachment")
            .WithSummary("A stored file: re-hosted from Discord (the random id is the key: no token needed) or uploaded (only by the " +
                "signed url of GET /tickets/{id}/attachments/{attachment_id}: expires and sig; a bad or expired one gives 403). " +
                "Range gives 206, If-None-Match with the ETag gives 304; images are shown inline, anything else downloads")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream").ProducesErrors(403, 404, 416);
        return app;
    }

    // The framework answers a range beyond the end with an empty 416 that already has a length and a type, so the
    // status-code pages leave it alone; this gives it the error body every failure has.
    private sealed class FileWithErrorBody(IResult file) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            await file.ExecuteAsync(http);
            if (http.Response.StatusCode != StatusCodes.Status416RangeNotSatisfiable || http.Response.HasStarted) return;
            http.Response.ContentLength = null;
            http.Response.Headers.ContentDisposition = default;
            await ApiErrors.Write(http, ApiError.ForStatus(StatusCodes.Status416RangeNotSatisfiable));
        }
    }

    private static IResult Refuse(HttpContext http, string message, int limit)
    {
        // A slot frees as soon as any download ends, so a short wait is the honest advice.
        RateLimitHeaders.Set(http.Response, new RateLimitDecision(Policy, false, limit, limit, TimeSpan.FromSeconds(1), 1));
        Metrics.ServerMetrics.Rejected(Policy);
        return ApiErrors.Result(ApiError.RateLimited(message));
    }
}
