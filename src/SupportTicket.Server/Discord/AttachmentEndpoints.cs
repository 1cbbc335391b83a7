using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Discord;

public static class AttachmentEndpoints
{
    /// <summary>Only types a browser shows without running anything are served inline; everything else downloads.</summary>
    private static readonly HashSet<string> Inline = ["image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", "application/pdf"];

    /// <summary>GET /api/v1/attachments/{id}/{name}: an agent's re-hosted Discord attachment (the unguessable id is the key).</summary>
    public static IEndpointRouteBuilder MapAttachments(this IEndpointRouteBuilder app)
    {
        // {name} is only there so the link ends in the file's name; the id alone finds the file.
        app.MapGet("/api/v1/attachments/{id}/{name}", async (string id, string name, AppDbContext db, HttpContext http, CancellationToken ct) =>
        {
            var file = await db.Attachments.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (file is null) return ApiErrors.Result(ApiError.NotFound($"Attachment {id} not found"));
            var inline = Inline.Contains(file.ContentType.Split(';')[0].Trim().ToLowerInvariant());
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            return Results.File(file.Data, inline ? file.ContentType : "application/octet-stream", inline ? null : file.FileName);
        }).WithTags("Attachments").WithName("GetAttachment");
        return app;
    }
}
