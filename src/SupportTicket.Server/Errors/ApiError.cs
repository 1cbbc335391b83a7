using System.Text.Json.Serialization;

namespace SupportTicket.Server.Errors;

public sealed record FieldError(string Location, string Message, string Type, object? Context = null);

public sealed record ApiError(
    [property: JsonIgnore] int Status,
    string Error,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FieldError>? Errors = null)
{
    // Set on 500s so an operator can find the logged details; the body itself never carries them.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CorrelationId { get; init; }

    public static ApiError BadRequest(string message, IReadOnlyList<FieldError>? errors = null) => new(400, "BAD_REQUEST", message, errors);
    public static ApiError Invalid(IReadOnlyList<FieldError> errors) => BadRequest("Invalid form of body", errors);
    public static ApiError Unauthorized(string message) => new(401, "UNAUTHORIZED", message);
    public static ApiError Forbidden(string message) => new(403, "FORBIDDEN", message);
    public static ApiError NotFound(string message) => new(404, "NOT_FOUND", message);
    public static ApiError Conflict(string message) => new(409, "CONFLICT", message);
    public static ApiError TooLarge(string message) => new(413, "PAYLOAD_TOO_LARGE", message);
    public static ApiError RateLimited(string message) => new(429, "RATELIMIT", message);
    public static ApiError Internal(string correlationId) =>
        new(500, "INTERNAL_SERVER_ERROR", "Something went wrong on our side") { CorrelationId = correlationId };
    public static ApiError Unavailable(string message) => new(503, "SERVICE_UNAVAILABLE", message);

    public static ApiError ForStatus(int status) => status switch
    {
        400 => BadRequest("Bad request"),
        401 => Unauthorized("Missing bearer token"),
        403 => Forbidden("Forbidden"),
        404 => NotFound("No such route"),
        405 => new(405, "BAD_REQUEST", "Method not allowed on this route"),
        409 => Conflict("Conflict"),
        413 => TooLarge("Request body is too large"),
        415 => new(415, "BAD_REQUEST", "Content-Type must be application/json"),
        416 => new(416, "BAD_REQUEST", "Range not satisfiable: it starts beyond the end of the file"),
        429 => RateLimited("You are being ratelimited"),
        503 => Unavailable("Service unavailable"),
        >= 500 => new(status, "INTERNAL_SERVER_ERROR", "Something went wrong on our side"),
        _ => new(status, "BAD_REQUEST", "Request failed"),
    };
}
