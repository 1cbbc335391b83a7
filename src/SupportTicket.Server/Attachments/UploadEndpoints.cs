using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Messages;
using SupportTicket.Server.RateLimiting;
using SupportTicket.Server.Storage;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Attachments;

/// <summary>Uploads (owner or staff) and fresh signed links to a ticket's files for those who may see them.</summary>
public static class UploadEndpoints
{
    public static IEndpointRouteBuilder MapAttachmentUploads(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;
        var group = app.MapGroup("/api/v1/tickets/{ticketId}/attachments").RequireAuthorization().WithRateLimits().WithTags("Attachments");

        group.MapPost("/", async Task<Results<Created<AttachmentDto>, ApiErrorResult>> (string ticketId, HttpRequest request,
            CurrentUser user, AttachmentUploads uploads, CancellationToken ct) =>
        {
            var result = await uploads.UploadAsync(user, ticketId, request, ct);
            return result.Ok
                ? TypedResults.Created($"/api/v1/tickets/{ticketId}/attachments/{result.Value.Id}", result.Value)
                : ApiErrors.Result(result.Error);
        }).WithName(RatePolicies.UploadAttachment)
            .WithMetadata(new UploadSizeLimit(maxBytes + 64 * 1024))
            .WithSummary("Upload one file (multipart/form-data, field \"file\"); put its id in a message's attachments. " +
                "PNG, JPEG, GIF, WebP, PDF, plain text and ZIP, recognised by their bytes; images are re-encoded without metadata")
            .Accepts<IFormFile>("multipart/form-data").ProducesErrors(400, 404, 409, 413, 415);

        group.MapGet("/{attachmentId}", async Task<Results<Ok<AttachmentDto>, ApiErrorResult>> (string ticketId, string attachmentId,
            HttpRequest request, CurrentUser user, TicketService tickets, AppDbContext db, AttachmentUploads uploads, CancellationToken ct) =>
        {
            var found = await tickets.FindVisibleAsync(user, ticketId, ct);
            if (!found.Ok) return ApiErrors.Result(found.Error);
            var file = await db.Attachments.FirstOrDefaultAsync(a => a.Id == attachmentId && a.TicketId == ticketId, ct);
            if (file is null || !await MaySee(db, user, file, ct)) return ApiErrors.Result(ApiError.NotFound($"Attachment {attachmentId} not found"));
            return TypedResults.Ok(uploads.ToDto(file, AttachmentLinks.BaseUrl(request)));
        }).WithName(RatePolicies.GetAttachmentLink)
            .WithSummary("A file of the ticket with a fresh short-lived signed url (for <img src> and downloads without a token)")
            .ProducesErrors(404);
        return app;
    }

    /// <summary>A file not yet posted is its uploader's (and staff's); a posted one follows its message (internal notes: staff).</summary>
    private static async Task<bool> MaySee(AppDbContext db, CurrentUser user, StoredAttachment file, CancellationToken ct)
    {
        if (file.MessageId is null) return user.IsStaff || file.UploadedBy == user.Id;
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == file.MessageId, ct);
        return message is not null && MessageRules.CanSee(user, message);
    }

    private sealed class UploadSizeLimit(long max) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => max;
    }
}
