using Microsoft.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using SupportTicket.Server.Errors;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SupportTicket.Server.Hosting;

// What every operation can give whatever its route says (401, 429, 500, 503 with the error body; no security where
// no token is needed). Everything else comes from the route: typed results, WithSummary, ProducesErrors, Accepts.
internal sealed class ApiDocsOperations : IOperationFilter
{
    private static readonly int[] Always = [401, 429, 500, 503];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var error = Schema(typeof(ApiError), context);
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        // A handler that reads raw JSON (JsonElement) says its body's shape with Accepts<T>; the generator sees only the parameter.
        if (metadata.OfType<IAcceptsMetadata>().LastOrDefault() is { RequestType: { } accepted } && operation.RequestBody?.Content is { } body)
            foreach (var media in body.Values) media.Schema = Schema(accepted, context);
        var responses = operation.Responses ??= new OpenApiResponses();
        foreach (var status in Always) responses[status.ToString()] = new OpenApiResponse();
        var ordered = new OpenApiResponses();
        foreach (var (code, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var status = int.Parse(code);
            ordered[code] = status < 400 ? Success(status, response) : new OpenApiResponse
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
        }
        operation.Responses = ordered;
        if (!metadata.OfType<IAuthorizeData>().Any()) operation.Security = [];
    }

    private static IOpenApiResponse Success(int status, IOpenApiResponse response) => new OpenApiResponse
    {
        Description = status switch { 201 => "Created", 202 => "Accepted", 204 => "Done; no body", _ => "OK" },
        Content = response.Content,
        Headers = response.Headers,
    };

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
        416 => "BAD_REQUEST: the Range starts beyond the end of the file",
        429 => "RATELIMIT: too many requests; see Retry-After",
        500 => "INTERNAL_SERVER_ERROR: carries a correlation_id for the server's log",
        _ => "SERVICE_UNAVAILABLE: storage is unavailable; retry later",
    };
}

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
