using System.Net;
using System.Text.Json;

namespace SupportTicket.Discord.Rest;

public class DiscordRestException(HttpStatusCode status, int code, string message, string route, JsonElement? errors = null)
    : Exception($"{route}: {(int)status} {message} (code {code}){DiscordFieldError.Describe(errors)}")
{
    public HttpStatusCode Status { get; } = status;

    public int Code { get; } = code;

    public string Route { get; } = route;

    // The errors tree of a 400 (50035 Invalid Form Body), e.g. {"parent_id":{"_errors":[{"code":
    // "CHANNEL_PARENT_MAX_CHANNELS","message":"..."}]}}; null when the body had none.
    public JsonElement? Errors { get; } = errors;

    public IReadOnlyList<DiscordFieldError> FieldErrors => DiscordFieldError.Flatten(Errors);

    public bool HasFieldError(string code) => FieldErrors.Any(e => e.Code == code);
}

public sealed class DiscordUnauthorizedException(string route)
    : DiscordRestException(HttpStatusCode.Unauthorized, 0, "401: Unauthorized", route);

// A rate-limit wait was longer than DiscordClientOptions.MaxRetryAfter; the call was not sent so the bucket's queue is
// not blocked. The caller can schedule it after RetryAfter.
public sealed class DiscordRateLimitedException(string route, TimeSpan retryAfter, string? scope, bool sublimit)
    : Exception($"{route}: rate limited for {retryAfter.TotalSeconds:0.###} s (scope {scope ?? "bucket"}{(sublimit ? ", sublimit" : "")})")
{
    public string Route { get; } = route;
    public TimeSpan RetryAfter { get; } = retryAfter;
    public string? Scope { get; } = scope;
    public bool Sublimit { get; } = sublimit;
}

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
