using SupportTicket.Server.Errors;

namespace SupportTicket.Server.Api;

/// <summary>The outcome of a write-path call: a value, or the error the client gets.</summary>
public readonly record struct Result<T>(T? Value, ApiError? Error)
{
    public bool Ok => Error is null;
    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(ApiError error) => new(default, error);
}
