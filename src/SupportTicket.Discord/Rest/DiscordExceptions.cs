using System.Net;
using System.Text.Json;

namespace SupportTicket.Discord.Rest;

/// <summary>Discord answered with an error body <c>{code, message, errors?}</c>.</summary>
public class DiscordRestException(HttpStatusCode status, int code, string message, string route, JsonElement? errors = null)
    : Exception($"{route}: {(int)status} {message} (code {code}){DiscordFieldError.Describe(errors)}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's JSON error code (see <see cref="DiscordErrorCodes"/>), 0 when the body had none.</summary>
    public int Code { get; } = code;

    public string Route { get; } = route;

    /// <summary>
    /// The <c>errors</c> tree of a 400 (50035 Invalid Form Body), e.g. <c>{"parent_id":{"_errors":[{"code":
    /// "CHANNEL_PARENT_MAX_CHANNELS","message":"..."}]}}</c>; null when the body had none.
    /// </summary>
    public JsonElement? Errors { get; } = errors;

    /// <summary>Every leaf of <see cref="Errors"/>, with its path ("parent_id", "embeds.0.title").</summary>
    public IReadOnlyList<DiscordFieldError> FieldErrors => DiscordFieldError.Flatten(Errors);

    /// <summary>True when a leaf of the errors tree has this code, e.g. "CHANNEL_PARENT_MAX_CHANNELS".</summary>
    public bool HasFieldError(string code) => FieldErrors.Any(e => e.Code == code);
}

/// <summary>The token was rejected; the client refuses all further REST calls until it is recreated.</summary>
public sealed class DiscordUnauthorizedException(string route)
    : DiscordRestException(HttpStatusCode.Unauthorized, 0, "401: Unauthorized", route);

/// <summary>
/// A rate-limit wait was longer than <see cref="DiscordClientOptions.MaxRetryAfter"/>; the call was not sent so the
/// bucket's queue is not blocked. The caller can schedule it after <see cref="RetryAfter"/>.
/// </summary>
public sealed class DiscordRateLimitedException(string route, TimeSpan retryAfter, string? scope, bool sublimit)
    : Exception($"{route}: rate limited for {retryAfter.TotalSeconds:0.###} s (scope {scope ?? "bucket"}{(sublimit ? ", sublimit" : "")})")
{
    public string Route { get; } = route;
    public TimeSpan RetryAfter { get; } = retryAfter;
    public string? Scope { get; } = scope;
    public bool Sublimit { get; } = sublimit;
}

/// <summary>One leaf of a 50035 errors tree: where (dotted path) and what (e.g. BASE_TYPE_MAX_LENGTH).</summary>
public sealed record DiscordFieldError(string Path, string Code, string Message)
{
    internal static IReadOnlyList<DiscordFieldError> Flatten(JsonElement? errors)
    {
        var found = new List<DiscordFieldError>();
        if (errors is { ValueKind: JsonValueKind.Object } root)
        {
            Walk(root, "", found);
        }

        return found;
    }

    internal static string Describe(JsonElement? errors)
    {
        var leaves = Flatten(errors);
        return leaves.Count == 0 ? "" : ": " + string.Join("; ", leaves.Select(e => $"{(e.Path.Length == 0 ? "" : e.Path + " ")}{e.Code}"));
    }

    private static void Walk(JsonElement node, string path, List<DiscordFieldError> found)
    {
        foreach (var property in node.EnumerateObject())
        {
            if (property.Name == "_errors" && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var leaf in property.Value.EnumerateArray())
                {
                    found.Add(new DiscordFieldError(path, Text(leaf, "code"), Text(leaf, "message")));
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", found);
            }
        }
    }

    private static string Text(JsonElement leaf, string name) =>
        leaf.ValueKind == JsonValueKind.Object && leaf.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() ?? ""
            : "";
}
