namespace SupportTicket.Server.RateLimiting;

// Policy names. HTTP policies are the endpoint names (WithName), so a route's limit is found by its name; the others
// guard things that are not endpoints.
public static class RatePolicies
{
    public const string CreateTicket = "CreateTicket";
    public const string ListTickets = "ListTickets";
    public const string GetTicket = "GetTicket";
    public const string UpdateTicket = "UpdateTicket";
    public const string CloseTicket = "CloseTicket";
    public const string ReopenTicket = "ReopenTicket";
    public const string DeleteTicket = "DeleteTicket";
    public const string PostMessage = "PostMessage";
    public const string ListMessages = "ListMessages";
    public const string EditMessage = "EditMessage";
    public const string DeleteMessage = "DeleteMessage";
    public const string UploadAttachment = "UploadAttachment";
    public const string GetAttachmentLink = "GetAttachmentLink";
    public const string Revoke = "Revoke";
    public const string ListRevocations = "ListRevocations";
    public const string ListEvents = "ListEvents";
    public const string CreateWebhook = "CreateWebhook";
    public const string ListWebhooks = "ListWebhooks";
    public const string GetWebhook = "GetWebhook";
    public const string UpdateWebhook = "UpdateWebhook";
    public const string DeleteWebhook = "DeleteWebhook";
    public const string RotateWebhookSecret = "RotateWebhookSecret";
    public const string PingWebhook = "PingWebhook";
    public const string ListWebhookDeliveries = "ListWebhookDeliveries";
    public const string RedeliverWebhook = "RedeliverWebhook";
    public const string GetStatus = "GetStatus";
    public const string RequestClose = "RequestClose";
    public const string AnswerCloseRequest = "AnswerCloseRequest";
    public const string DeclineCloseRequest = "DeclineCloseRequest";
    public const string RateTicket = "RateTicket";
    public const string GetStats = "GetStats";
    public const string ListCannedResponses = "ListCannedResponses";
    public const string GetCannedResponse = "GetCannedResponse";
    public const string CreateCannedResponse = "CreateCannedResponse";
    public const string UpdateCannedResponse = "UpdateCannedResponse";
    public const string DeleteCannedResponse = "DeleteCannedResponse";

    public const string MarkRead = "MarkRead";
    public const string GetPreferences = "GetPreferences";
    public const string UpdatePreferences = "UpdatePreferences";
    public const string Unsubscribe = "Unsubscribe";
    public const string UnsubscribePage = "UnsubscribePage";

    public const string HubAuthorize = "HubAuthorize";
    public const string HubMarkRead = "HubMarkRead";
    public const string HubSubscribe = "HubSubscribe";
    public const string HubTyping = "HubTyping";

    public const string AuthFailures = "AuthFailures";

    // Tickets created by guests per client IP, on top of the per-user limit: a guest id is free to mint, so per-user
    // limits alone do not bound one address.
    public const string GuestCreateTicket = "GuestCreateTicket";

    public static readonly IReadOnlyDictionary<string, string> GuestAddressPolicies = new Dictionary<string, string>
    {
        [CreateTicket] = GuestCreateTicket,
    };

    public static Dictionary<string, RatePolicyOptions> Defaults() => new(StringComparer.OrdinalIgnoreCase)
    {
        [CreateTicket] = new() { PermitLimit = 3 },
        [ListTickets] = new() { PermitLimit = 30 },
        [GetTicket] = new() { PermitLimit = 30 },
        [UpdateTicket] = new() { PermitLimit = 15 },
        [CloseTicket] = new() { PermitLimit = 15 },
        [ReopenTicket] = new() { PermitLimit = 15 },
        [DeleteTicket] = new() { PermitLimit = 15 },
        [PostMessage] = new() { PermitLimit = 15 },
        [ListMessages] = new() { PermitLimit = 15 },
        [EditMessage] = new() { PermitLimit = 15 },
        [DeleteMessage] = new() { PermitLimit = 15 },
        [UploadAttachment] = new() { PermitLimit = 10 },
        // One per attachment shown: a conversation with many screenshots asks for many links at once.
        [GetAttachmentLink] = new() { PermitLimit = 120 },
        [Revoke] = new() { PermitLimit = 30 },
        [ListRevocations] = new() { PermitLimit = 30 },
        // ADMIN only, and the caller is a backend, not a person: one polling the feed every second while it also
        // catches up after an outage (up to 500 events a page), and watching its endpoints' deliveries, must not be
        // locked out of the very recovery these endpoints exist for.
        [ListEvents] = new() { PermitLimit = 1200 },
        [CreateWebhook] = new() { PermitLimit = 10 },
        [ListWebhooks] = new() { PermitLimit = 300 },
        [GetWebhook] = new() { PermitLimit = 300 },
        [UpdateWebhook] = new() { PermitLimit = 15 },
        [DeleteWebhook] = new() { PermitLimit = 15 },
        [RotateWebhookSecret] = new() { PermitLimit = 5 },
        [PingWebhook] = new() { PermitLimit = 5 },
        [ListWebhookDeliveries] = new() { PermitLimit = 300 },
        [RedeliverWebhook] = new() { PermitLimit = 30 },
        [GetStatus] = new() { PermitLimit = 60 },
        [RequestClose] = new() { PermitLimit = 15 },
        [AnswerCloseRequest] = new() { PermitLimit = 15 },
        [DeclineCloseRequest] = new() { PermitLimit = 15 },
        [RateTicket] = new() { PermitLimit = 5 },
        [GetStats] = new() { PermitLimit = 30 },
        [ListCannedResponses] = new() { PermitLimit = 60 },
        [GetCannedResponse] = new() { PermitLimit = 30 },
        [CreateCannedResponse] = new() { PermitLimit = 15 },
        [UpdateCannedResponse] = new() { PermitLimit = 15 },
        [DeleteCannedResponse] = new() { PermitLimit = 15 },
        [HubAuthorize] = new() { PermitLimit = 20 },
        [HubSubscribe] = new() { PermitLimit = 30 },
        [HubTyping] = new() { PermitLimit = 30 },
        // A widget marks read as messages arrive.
        [MarkRead] = new() { PermitLimit = 60 },
        [HubMarkRead] = new() { PermitLimit = 60 },
        [GetPreferences] = new() { PermitLimit = 30 },
        [UpdatePreferences] = new() { PermitLimit = 15 },
        [Unsubscribe] = new() { PermitLimit = 15 },
        [UnsubscribePage] = new() { PermitLimit = 15 },
        [AuthFailures] = new() { PermitLimit = 20 },
        [GuestCreateTicket] = new() { PermitLimit = 10, WindowSeconds = 600 },
    };
}
