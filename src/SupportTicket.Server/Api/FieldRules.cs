using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Api;

internal static class FieldRules
{
    public static string? Text(List<FieldError> errors, string field, string? value, int max, bool required = true)
    {
        if (value is null)
        {
            if (required) errors.Add(new(field, $"{field} is required", "required"));
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
            errors.Add(new(field, $"{field} must not be empty or whitespace", "empty"));
        else if (trimmed.Length > max)
            errors.Add(new(field, $"{field} must be at most {max} characters", "max_length", new { max }));
        else if (!TextSafety.IsStorable(trimmed))
            errors.Add(new(field, $"{field} must not contain NUL or invalid Unicode characters", "format"));
        return trimmed;
    }

    public static string? OneOf(List<FieldError> errors, string field, string? value, string[] allowed, string? fallback)
    {
        if (value is null) return fallback;
        var upper = value.Trim().ToUpperInvariant();
        if (Array.IndexOf(allowed, upper) >= 0) return upper;
        errors.Add(new(field, $"{field} must be one of {string.Join(", ", allowed)}", "enum", new { allowed }));
        return fallback;
    }

    public static string? Id(List<FieldError> errors, string field, string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        if (trimmed.Length is 0 or > 128) errors.Add(new(field, $"{field} must be 1 to 128 characters", "length"));
        else if (!TextSafety.IsStorable(trimmed)) errors.Add(new(field, $"{field} must not contain NUL or invalid Unicode characters", "format"));
        return trimmed;
    }
}
