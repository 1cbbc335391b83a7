using System.Linq.Expressions;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

public static class MessageRules
{
    public const int ContentMax = 4_000;
    public const int AttachmentsMax = 10;
    public const int UrlMax = 2_048;

    // The one home of "who may see an internal note": customers and guests never see staff-only notes, not even that
    // they exist. Written once; LINQ uses VisibleTo, in-memory checks the compiled form.
    private static readonly Expression<Func<bool, CurrentUser, bool>> NoteSeenBy = (isInternal, viewer) => viewer.IsStaff || !isInternal;

    private static readonly Func<bool, CurrentUser, bool> NoteSeenByCompiled = NoteSeenBy.Compile();

    public static bool CanSee(CurrentUser user, bool isInternal) => NoteSeenByCompiled(isInternal, user);

    public static bool CanSee(CurrentUser user, Message message) => CanSee(user, message.Internal);

    // Which numbering viewer sees. Whoever sees notes sees every message and the full seq; everyone else sees
    // Message.PublicSeq as seq (and Ticket.LastPublicSeq as last_seq, and after_seq counts it), so their numbers are
    // gap-free over what they can see and say nothing about notes in between.
    public static bool SeesAllNotes(CurrentUser viewer) => CanSee(viewer, isInternal: true);

    public static IQueryable<Message> After(IQueryable<Message> messages, CurrentUser user, long afterSeq) =>
        SeesAllNotes(user)
            ? messages.Where(m => m.Seq > afterSeq).OrderBy(m => m.Seq)
            : messages.Where(VisibleTo(user)).Where(m => m.PublicSeq > afterSeq).OrderBy(m => m.PublicSeq);

    public static Expression<Func<Message, bool>> VisibleTo(CurrentUser user) => RuleExpressions.For(NoteSeenBy, (Message m) => m.Internal, user);

    public static ApiError NotFound(string id) => ApiError.NotFound($"Message {id} not found");

    public static Result<Message> Create(PostMessageRequest request, CurrentUser user)
    {
        var errors = new List<FieldError>();
        var content = FieldRules.Text(errors, "content", request.Content, ContentMax);
        var attachments = request.Attachments ?? [];
        if (attachments.Count > AttachmentsMax)
            errors.Add(new("attachments", $"At most {AttachmentsMax} attachments", "max_items", new { max = AttachmentsMax }));
        for (var i = 0; i < attachments.Count && i < AttachmentsMax; i++)
            if (!IsHttpUrl(attachments[i]) && !Attachments.AttachmentLinks.IsId(attachments[i]))
                errors.Add(new($"attachments[{i}]", $"Each attachment must be the id of a file uploaded to this ticket or an http or https URL of at most {UrlMax} characters", "url"));
        if (errors.Count > 0) return ApiError.Invalid(errors);
        if (request.Internal == true && !user.IsStaff) return ApiError.Forbidden("Only staff may write internal notes");
        return new Message
        {
            Content = content!,
            Attachments = System.Text.Json.JsonSerializer.Serialize(attachments),
            Internal = request.Internal == true,
            AuthorId = user.Id, AuthorName = user.Username, AuthorRole = user.Role,
        };
    }

    private static bool IsHttpUrl(string? value) =>
        value is { Length: > 0 and <= UrlMax }
        && TextSafety.IsStorable(value)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}
