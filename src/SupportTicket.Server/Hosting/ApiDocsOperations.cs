using Microsoft.OpenApi;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.Discord;
using SupportTicket.Server.Errors;
using SupportTicket.Server.EventFeed;
using SupportTicket.Server.Messages;
using SupportTicket.Server.Outbox;
using SupportTicket.Server.Tickets;
using SupportTicket.Server.Webhooks;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SupportTicket.Server.Hosting;

/// <summary>
/// What the endpoints' untyped IResult returns cannot tell the generator: a summary, the success status and body,
/// and every error status with the error body, per operation (keyed by the endpoint name). Kept here rather than as
/// Produces(...) calls on each endpoint so the endpoint files stay about behaviour.
/// </summary>
internal sealed class ApiDocsOperations : IOperationFilter
{
    private static readonly int[] Always = [401, 429, 500, 503];
    private static readonly int[] Body = [400, 413, 415];

    private static readonly Dictionary<string, Doc> Docs = new()
    {
        ["CreateTicket"] = new("Open a ticket", 201, typeof(TicketDto), [.. Body, 403, 409]),
        ["ListTickets"] = new("List the tickets the caller may see, newest first (Link: rel=\"next\" pages on)", 200, typeof(TicketDto[]), [400]),
        ["GetTicket"] = new("Get one ticket", 200, typeof(TicketDto), [404]),
        ["UpdateTicket"] = new("Change a ticket: only the fields sent; \"assignee_id\": null unassigns", 200, typeof(TicketDto), [.. Body, 403, 404, 409], typeof(UpdateTicketRequest)),
        ["CloseTicket"] = new("Close a ticket, with an optional reason", 200, typeof(TicketDto), [.. Body, 403, 404, 409]),
        ["ReopenTicket"] = new("Reopen a closed ticket", 200, typeof(TicketDto), [403, 404, 409]),
        ["DeleteTicket"] = new("Delete a ticket and its messages (ADMIN)", 204, null, [403, 404]),
        ["PostMessage"] = new("Post a message (Idempotency-Key makes a retry safe)", 201, typeof(MessageDto), [.. Body, 403, 404, 409]),
        ["ListMessages"] = new("Read a ticket's messages after a seq (catch-up), oldest first (Link: rel=\"next\" pages on)", 200, typeof(MessageDto[]), [400, 404]),
        ["EditMessage"] = new("Edit your own message", 200, typeof(MessageDto), [.. Body, 403, 404, 409]),
        ["DeleteMessage"] = new("Delete a message (its author or staff; on a closed ticket staff only)", 204, null, [403, 404, 409]),
        ["DiscordStatus"] = new("The Discord bot's state: gateway, outbox depth and oldest age, parked rows (ADMIN)", 200, typeof(DiscordStatusDto), [403]),
        ["ListOutbox"] = new("Discord outbox rows, oldest first (at most 200); ?state=parked lists those Discord refused for good, with the error (ADMIN)", 200, typeof(OutboxRowDto[]), [400, 403]),
        ["RetryOutboxRow"] = new("Try a parked (or backing-off) outbox row again now; its ticket's later changes follow it (ADMIN)", 200, typeof(OutboxRowDto), [403, 404]),
        ["DiscardOutboxRow"] = new("Drop a parked outbox row: its change never reaches Discord and the ticket's later changes go on (ADMIN)", 204, null, [403, 404, 409]),
        ["GetAttachment"] = new("A file an agent attached in Discord, kept by the server (the random id is the key: no token needed). " +
            "Range gives 206, If-None-Match with the ETag gives 304; images are shown inline, anything else downloads", 200, null, [404, 416],
            File: true),
        ["Revoke"] = new("Revoke one token (jti) or every token of a user issued before now (user_id); 204 when that jti is already revoked (ADMIN)", 201, typeof(RevocationDto), [.. Body, 403], typeof(RevokeRequest)),
        ["ListRevocations"] = new("The active revocations, newest first (ADMIN)", 200, typeof(RevocationDto[]), [403]),
        ["ListEvents"] = new("The event feed after a cursor, oldest first: page on with next_cursor; never misses or repeats an event (ADMIN)",
            200, typeof(EventPageDoc), [400, 403]),
        ["CreateWebhook"] = new("Subscribe an endpoint; the answer shows its signing secret, once (ADMIN)", 201, typeof(WebhookDto), [.. Body, 403], typeof(CreateWebhookRequest)),
        ["ListWebhooks"] = new("The webhook endpoints, from configuration and the API (ADMIN)", 200, typeof(WebhookDto[]), [403]),
        ["GetWebhook"] = new("One webhook endpoint (ADMIN)", 200, typeof(WebhookDto), [403, 404]),
        ["UpdateWebhook"] = new("Change url, events, description or enabled; only the fields sent (ADMIN)", 200, typeof(WebhookDto), [.. Body, 403, 404, 409], typeof(UpdateWebhookRequest)),
        ["DeleteWebhook"] = new("Remove an endpoint, its queue and its delivery log (ADMIN)", 204, null, [403, 404, 409]),
        ["RotateWebhookSecret"] = new("A new secret, shown once; the old one keeps signing beside it for 24 h (ADMIN)", 200, typeof(WebhookDto), [403, 404, 409]),
        ["PingWebhook"] = new("Send a ping event now and report how the endpoint answered (ADMIN)", 200, typeof(WebhookDeliveryDto), [403, 404]),
        ["ListWebhookDeliveries"] = new("Delivery attempts, newest first (Link: rel=\"next\" pages on) (ADMIN)", 200, typeof(WebhookDeliveryDto[]), [400, 403, 404]),
        ["RedeliverWebhook"] = new("Queue a delivery's event again: same id, same body (ADMIN)", 202, typeof(RedeliveryDto), [403, 404, 409]),
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId is not { } name || !Docs.TryGetValue(name, out var doc)) return;
        operation.Summary = doc.Summary;
        if (doc.Request is { } request)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Schema(request, context) } },
            };
        var responses = new OpenApiResponses
        {
            [doc.Success.ToString()] = new OpenApiResponse
            {
                Description = doc.Success switch { 201 => "Created", 202 => "Accepted", 204 => "Done; no body", _ => "OK" },
                Content = doc.File
                    ? new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    }
                    : doc.Response is null ? null
                    : new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Schema(doc.Response, context) } },
            },
        };
        var error = Schema(typeof(ApiError), context);
        foreach (var status in doc.Errors.Concat(Always).Distinct().Order())
            responses[status.ToString()] = new OpenApiResponse
            {
                Description = Describe(status),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = error } },
                Headers = status == 429
                    ? new Dictionary<string, IOpenApiHeader>
                    {
                        ["Retry-After"] = new OpenApiHeader { Description = "Seconds until the window ends", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                    }
                    : null,
            };
        operation.Responses = responses;
        if (doc.File) operation.Security = [];
    }

    private static IOpenApiSchema Schema(Type type, OperationFilterContext context) =>
        context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository);

    private static string Describe(int status) => status switch
    {
        400 => "BAD_REQUEST: invalid body or query; errors[] names each field",
        401 => "UNAUTHORIZED: no token, or a token that is not valid",
        403 => "FORBIDDEN: your role or ownership does not allow this",
        404 => "NOT_FOUND: no such ticket or message, or not visible to you",
        409 => "CONFLICT: the ticket's state or an Idempotency-Key reuse forbids this",
        413 => "PAYLOAD_TOO_LARGE: the body is over the limit",
        415 => "UNSUPPORTED_MEDIA_TYPE: send application/json",
        429 => "RATELIMIT: too many requests; see Retry-After",
        500 => "INTERNAL_SERVER_ERROR: carries a correlation_id for the server's log",
        _ => "SERVICE_UNAVAILABLE: storage is unavailable; retry later",
    };

    private sealed record Doc(string Summary, int Success, Type? Response, int[] Errors, Type? Request = null, bool File = false);

    /// <summary>The PATCH body's shape, for the document only: the endpoint reads raw JSON to tell null from absent.</summary>
    internal sealed record UpdateTicketRequest(string? Topic, string? Description, string? Status, string? IssueLevel, string? SupportRole, string? AssigneeId);
}

/// <summary>Servers, tag descriptions and the health endpoints (mapped as health checks, which the generator does not see).</summary>
internal sealed class ApiDocsDocument : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Tickets", Description = "Support tickets: open, list, change, close, reopen, delete" },
            new() { Name = "Messages", Description = "A ticket's conversation, ordered by seq" },
            new() { Name = "Admin", Description = "Operators (ADMIN): token revocation, the Discord bot's status and outbox" },
            new() { Name = "Events", Description = "The event feed: every change, in order, the same bodies as the webhooks (ADMIN)" },
            new() { Name = "Webhooks", Description = "Signed pushes of the event feed to your backend (ADMIN)" },
            new() { Name = "Health", Description = "Liveness and readiness for load balancers and orchestrators" },
            new() { Name = "Attachments", Description = "Files agents attached in Discord, kept by the server" },
        };
        var health = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "healthy, degraded or unhealthy" },
                ["checks"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Per check: status and, when not healthy, the reason" },
            },
        };
        document.Paths ??= new OpenApiPaths();
        document.Paths["/health/live"] = Health("Liveness", "HealthLive", health, ready: false);
        document.Paths["/health/ready"] = Health("Readiness: storage reachable (and Redis, when configured)", "HealthReady", health, ready: true);
    }

    private static OpenApiPathItem Health(string summary, string id, IOpenApiSchema body, bool ready)
    {
        var responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse { Description = "Healthy", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } } },
        };
        if (ready)
            responses["503"] = new OpenApiResponse { Description = "Not ready; checks say why", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } } };
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = id, Summary = summary, Tags = new HashSet<OpenApiTagReference> { new("Health") },
                    Security = [], Responses = responses,
                },
            },
        };
    }
}
