using System.Text.Json;
using SupportTicket.Server.Api;
using SupportTicket.Server.Auth;
using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Tickets;

public static class TicketRules
{
    public const int TopicMax = 200;
    public const int DescriptionMax = 10_000;
    public const int ReasonMax = 1_000;

    public static ApiError NotFound(string id) => ApiError.NotFound($"Ticket {id} not found");

    public static Result<Ticket> Create(CreateTicketRequest request, CurrentUser user)
    {
        var errors = new List<FieldError>();
        var topic = FieldRules.Text(errors, "topic", request.Topic, TopicMax);
        var description = FieldRules.Text(errors, "description", request.Description, DescriptionMax);
        var level = FieldRules.OneOf(errors, "issue_level", request.IssueLevel, IssueLevel.All, IssueLevel.Normal);
        var team = FieldRules.OneOf(errors, "support_role", request.SupportRole, SupportRole.All, SupportRole.General);
        if (errors.Count > 0) return ApiError.Invalid(errors);
        // The same rule as PATCH: choosing the team is for staff.
        if (!user.IsStaff && team != SupportRole.General) return ApiError.Forbidden("Only staff may set support_role");
        return new Ticket
        {
            Topic = topic!, Description = description!, IssueLevel = level!, SupportRole = team!,
            UserId = user.Id, Username = user.Username, Email = user.Email, UserRole = user.Role,
        };
    }

    private static readonly HashSet<string> OwnerFields = ["topic", "description"];
    private static readonly HashSet<string> StaffFields = ["status", "issue_level", "support_role", "assignee_id", "topic", "description"];

    public static ApiError? ApplyPatch(JsonElement body, CurrentUser user, Ticket ticket)
    {
        if (body.ValueKind != JsonValueKind.Object) return ApiError.BadRequest("Body must be a JSON object");
        var errors = new List<FieldError>();
        var fields = body.EnumerateObject().ToList();
        foreach (var f in fields.Where(f => !StaffFields.Contains(f.Name)))
            errors.Add(new(f.Name, $"{f.Name} is not a field that can be changed", "unknown_field"));
        if (errors.Count > 0) return ApiError.Invalid(errors);
        if (fields.Count == 0) return ApiError.Invalid([new("body", "Nothing to change", "empty")]);
        if (!user.IsStaff && fields.Any(f => !OwnerFields.Contains(f.Name)))
            return ApiError.Forbidden("Only staff may change status, issue_level, support_role or assignee_id");

        string? status = null;
        var assigneeChanged = false;
        foreach (var f in fields)
        {
            var value = f.Value;
            if (f.Name == "assignee_id")
            {
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    errors.Add(new(f.Name, "assignee_id must be a string or null", "type"));
                else
                {
                    ticket.AssigneeId = FieldRules.Id(errors, f.Name, value.GetString());
                    assigneeChanged = true;
                }
                continue;
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(f.Name, $"{f.Name} must be a string", "type"));
                continue;
            }
            var text = value.GetString();
            switch (f.Name)
            {
                case "topic": ticket.Topic = FieldRules.Text(errors, f.Name, text, TopicMax)!; break;
                case "description": ticket.Description = FieldRules.Text(errors, f.Name, text, DescriptionMax)!; break;
                case "issue_level": ticket.IssueLevel = FieldRules.OneOf(errors, f.Name, text, IssueLevel.All, ticket.IssueLevel)!; break;
                case "support_role": ticket.SupportRole = FieldRules.OneOf(errors, f.Name, text, SupportRole.All, ticket.SupportRole)!; break;
                case "status":
                    status = FieldRules.OneOf(errors, f.Name, text, TicketStatus.All, null);
                    if (status == TicketStatus.Closed)
                        errors.Add(new(f.Name, "Close a ticket with POST /api/v1/tickets/{id}/close", "transition"));
                    break;
            }
        }
        if (errors.Count > 0) return ApiError.Invalid(errors);

        // Claiming a ticket puts it in progress; releasing it puts it back in the queue, unless told otherwise.
        ticket.Status = status ?? (assigneeChanged, ticket.AssigneeId, ticket.Status) switch
        {
            (true, not null, TicketStatus.Open) => TicketStatus.InProgress,
            (true, null, TicketStatus.InProgress) => TicketStatus.Open,
            _ => ticket.Status,
        };
        return null;
    }

    public static string ReopenedStatus(Ticket ticket) => ticket.AssigneeId is null ? TicketStatus.Open : TicketStatus.InProgress;
}
