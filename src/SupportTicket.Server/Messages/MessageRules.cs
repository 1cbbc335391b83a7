using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Tickets;

namespace SupportTicket.Server.Messages;

public static class MessageRules
{
    public const int ContentMax = 4_000;
    public const int AttachmentsMax = 10;
    public const int UrlMax = 2_048;

    /// <summary>Customers and guests never see staff-only notes, not even that they exist.</summary>
    public static bool CanSee(CurrentUser user, Message message) => user.IsStaff || !message.Internal;

    public static ApiError NotFound(string id) => ApiError.NotFound($"Message {id} not found");

    public static Result<Message> Create(PostMessageRequest request, CurrentUser user)
    {
        var errors = new List<FieldError>();
        var content = FieldRules.Text(errors, "content", request.Content, ContentMax);
        var attachments = request.Attachments ?? [];
        if (attachments.Count > AttachmentsMax)
            errors.Add(new("attachments", $"At most {AttachmentsMax} attachments", "max_items", new { max = AttachmentsMax }));
        for (var i = 0; i < attachments.Count && i < AttachmentsMax; i++)
            if (!IsHttpUrl(attachments[i]))
                errors.Add(new($"attachments[{i}]", $"Each attachment must be an http or https URL of at most {UrlMax} characters", "url"));
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
