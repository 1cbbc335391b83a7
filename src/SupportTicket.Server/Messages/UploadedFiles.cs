using Microsoft.EntityFrameworkCore;
using SupportTicket.Server.Api;
using SupportTicket.Server.Attachments;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Messages;

/// <summary>
/// Upload ids in a message's <c>attachments</c>: each must be a file the author uploaded to this very ticket and not
/// yet posted. The message keeps the file's permanent link (readers trade it for a signed one), and the file is tied
/// to the message, so it goes when the message goes.
/// </summary>
internal static class UploadedFiles
{
    /// <summary>Links in the request's order with ids replaced (null when there are no ids), and the ids to tie.</summary>
    public static async Task<Result<(List<string>? Links, List<string> Ids)>> ResolveAsync(
        AppDbContext db, CurrentUser user, string ticketId, List<string>? attachments, string? baseUrl, CancellationToken ct)
    {
        var ids = (attachments ?? []).Where(AttachmentLinks.IsId).Distinct().ToList();
        if (ids.Count == 0) return ((List<string>?)null, ids);
        var files = await db.Attachments
            .Where(a => ids.Contains(a.Id) && a.TicketId == ticketId && a.MessageId == null && a.UploadedBy == user.Id)
            .ToDictionaryAsync(a => a.Id, ct);
        var errors = new List<FieldError>();
        var links = new List<string>();
        for (var i = 0; i < attachments!.Count; i++)
        {
            if (!AttachmentLinks.IsId(attachments[i])) links.Add(attachments[i]);
            else if (files.TryGetValue(attachments[i], out var file) && baseUrl is not null) links.Add(AttachmentLinks.Permanent(baseUrl, file));
            else errors.Add(new($"attachments[{i}]", "No such upload of yours on this ticket (or it is already posted)", "unknown_attachment"));
        }
        if (errors.Count > 0) return ApiError.Invalid(errors);
        return (links, ids);
    }

    public static async Task LinkAsync(AppDbContext db, List<string> ids, string messageId, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        try
        {
            await db.Attachments.Where(a => ids.Contains(a.Id) && a.MessageId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.MessageId, messageId), ct);
        }
        catch (System.Data.Common.DbException)
        {
            // The message was deleted at once (the foreign key refuses it): the files stay the uploader's, unposted.
        }
    }
}
